using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Vision;

/// <summary>Expected bytes come from Pillow's Image.resize(BICUBIC) (tests/tools/make_golden.py).</summary>
public class PillowBicubicResizeTests
{
    public static TheoryData<int, int> Targets()
    {
        var data = new TheoryData<int, int>();
        foreach (var c in Golden.Cases("resample"))
        {
            data.Add(c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Resizes_byte_for_byte_like_Pillow(int width, int height)
    {
        var source = new RgbImage(157, 93, NpyFile.Read(Path.Combine(TestAssets.Golden, "resample_source_157x93.npy")).AsBytes());
        var expected = NpyFile.Read(Path.Combine(TestAssets.Golden, $"resample_157x93_to_{width}x{height}.npy"));

        var resized = PillowBicubicResize.Resize(source, width, height);

        Assert.Equal(new[] { height, width, 3 }, expected.Shape);
        AssertBytesEqual(expected.AsBytes(), resized.Pixels.ToArray(), width);
    }

    [Fact]
    public void The_same_size_returns_the_image_unchanged()
    {
        var source = new RgbImage(2, 1, [1, 2, 3, 4, 5, 6]);

        Assert.Same(source, PillowBicubicResize.Resize(source, 2, 1));
    }

    internal static void AssertBytesEqual(byte[] expected, byte[] actual, int width)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                var pixel = i / 3;
                Assert.Fail($"First difference at x={pixel % width}, y={pixel / width}, channel {i % 3}: expected {expected[i]}, got {actual[i]}.");
            }
        }
    }
}
