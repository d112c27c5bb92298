using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Vision;

public class SmartResizeTests
{
    [Fact]
    public void Matches_the_transformers_formula_on_every_golden_case()
    {
        var cases = Golden.Cases("smart_resize").ToArray();
        Assert.True(cases.Length > 50);
        foreach (var c in cases)
        {
            int h = c.GetProperty("height").GetInt32(), w = c.GetProperty("width").GetInt32();
            var budget = new PixelBudget(c.GetProperty("min_pixels").GetInt64(), c.GetProperty("max_pixels").GetInt64());
            var expected = c.GetProperty("resized");
            if (expected.ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                Assert.Throws<ImageInputException>(() => SmartResize.Compute(w, h, 28, budget));
                continue;
            }

            var actual = SmartResize.Compute(w, h, 28, budget);
            Assert.True(
                actual == new ImageSize(expected.GetProperty("width").GetInt32(), expected.GetProperty("height").GetInt32()),
                $"{w}×{h} in {budget}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void The_notebook_demo_photo_becomes_1204x812_and_1247_tokens()
    {
        // The notebook's demo.jpeg is 2048×1365; with its 256…1280-token budget HF resizes it to 1204×812.
        var size = SmartResize.Compute(2048, 1365, 28, PixelBudget.Notebook);

        Assert.Equal(new ImageSize(1204, 812), size);
        Assert.Equal(1247, size.Width / 28 * (size.Height / 28));
    }

    [Theory]
    [InlineData(70, 42, 70, 42)] // round(2.5)=2 and round(1.5)=2: Python rounds halves to even
    [InlineData(98, 98, 112, 112)] // round(3.5)=4
    public void Halves_round_to_even_like_Python(int w, int h, int expectedW, int expectedH)
    {
        var size = SmartResize.Compute(w, h, 28, new PixelBudget(1, long.MaxValue));

        Assert.Equal(new ImageSize(expectedW == 70 ? 56 : expectedW, expectedH == 42 ? 56 : expectedH), size);
    }

    [Fact]
    public void A_side_below_one_factor_is_fixed_by_the_upscale_branch()
    {
        // transformers >= 4.53: round(14/28) = 0, then the min-pixels branch scales up (qwen-vl-utils would say 28×112).
        Assert.Equal(new ImageSize(168, 28), SmartResize.Compute(100, 14, 28, new PixelBudget(3136, 12845056)));
    }

    [Theory]
    [InlineData(201, 1)]
    [InlineData(1, 201)]
    [InlineData(0, 10)]
    [InlineData(10, -1)]
    public void Extreme_or_empty_sizes_are_rejected_with_a_clear_message(int w, int h)
    {
        var error = Assert.Throws<ImageInputException>(() => SmartResize.Compute(w, h, 28, new PixelBudget(3136, 12845056)));

        Assert.Contains($"{w}×{h}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inverted_budget_is_rejected()
    {
        Assert.Throws<ImageInputException>(() => new PixelBudget(1000, 10));
        Assert.Throws<ImageInputException>(() => new PixelBudget(0, 10));
    }
}
