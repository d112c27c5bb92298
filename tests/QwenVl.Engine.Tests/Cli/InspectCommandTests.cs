using System.Text.Json;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Cli;

public class InspectCommandTests
{
    [Fact]
    public void Prints_the_contract_fields_for_an_image_prompt()
    {
        var image = Path.Combine(TestAssets.Images, "gradient_123x77.png");

        var (code, stdout, stderr) = CommandLine.Run("inspect", "--model", TestAssets.ModelFolder, "--prompt", "Describe this image.", "--image", image);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var ids = root.GetProperty("input_ids").Ints();
        Assert.Equal(ids.Length, root.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(12, ids.Count(id => id == 151655));
        var img = root.GetProperty("images")[0];
        Assert.Equal((123, 77, 112, 84, 12), (img.GetProperty("width").GetInt32(), img.GetProperty("height").GetInt32(),
            img.GetProperty("resized_width").GetInt32(), img.GetProperty("resized_height").GetInt32(), img.GetProperty("tokens").GetInt32()));
        Assert.Equal(new[] { 1, 6, 8 }, img.GetProperty("grid_thw").Ints());

        // 3×4 merged tokens: a single window holds all 12, row-major.
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), root.GetProperty("image_window_index").Longs());
        Assert.Equal(new[] { 0, 48 }, root.GetProperty("image_cu_window_seqlens").Ints());
        Assert.Equal(new[] { 0, 48 }, root.GetProperty("image_cu_seqlens").Ints());

        // 3×4 merged tokens: positions run 3 ahead of the 12 pads → delta −(12 − 4) = −8.
        Assert.Equal(-8, root.GetProperty("rope_delta").GetInt32());
    }

    [Fact]
    public void Repeated_images_come_in_order_before_the_text()
    {
        var a = Path.Combine(TestAssets.Images, "gradient_123x77.png");
        var b = Path.Combine(TestAssets.Images, "orient6_96x64.jpg");

        var (code, stdout, stderr) = CommandLine.Run("inspect", "--model", TestAssets.ModelFolder, "--prompt", "Compare", "--image", a, "--image", b);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var images = json.RootElement.GetProperty("images");
        Assert.Equal(2, images.GetArrayLength());
        Assert.Equal((64, 96), (images[1].GetProperty("width").GetInt32(), images[1].GetProperty("height").GetInt32())); // turned upright
        Assert.Equal(new[] { 0, 48, 72 }, json.RootElement.GetProperty("image_cu_seqlens").Ints());
        var ids = json.RootElement.GetProperty("input_ids").Ints();
        var text = Array.IndexOf(ids, 27374); // "Compare" follows the last <|vision_end|>
        Assert.Equal(151653, ids[text - 1]);
    }

    [Fact]
    public void Budgets_and_system_prompt_are_honoured()
    {
        var image = Path.Combine(TestAssets.Images, "gradient_123x77.png");

        var (code, stdout, stderr) = CommandLine.Run("inspect", "--model", TestAssets.ModelFolder, "--prompt", "Hi", "--image", image,
            "--min-pixels", (64 * 784).ToString(System.Globalization.CultureInfo.InvariantCulture), "--system", "Be brief.");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var ids = json.RootElement.GetProperty("input_ids").Ints();
        Assert.True(json.RootElement.GetProperty("images")[0].GetProperty("tokens").GetInt32() >= 64);
        Assert.DoesNotContain(10950, ids[..12]); // "helpful" of the default system prompt is gone
    }

    [Fact]
    public void A_text_only_prompt_has_no_vision_fields_and_zero_delta()
    {
        var (code, stdout, stderr) = CommandLine.Run("inspect", "--model", TestAssets.ModelFolder, "--prompt", "Hello");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(0, json.RootElement.GetProperty("rope_delta").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("images").GetArrayLength());
        Assert.Equal(0, json.RootElement.GetProperty("image_window_index").GetArrayLength());
    }

    [Fact]
    public void Dump_writes_numpy_files_with_the_contract_shapes()
    {
        var dump = TestAssets.NewTempFolder();
        var image = Path.Combine(TestAssets.Images, "gradient_123x77.png");

        var (code, stdout, stderr) = CommandLine.Run("inspect", "--model", TestAssets.ModelFolder, "--prompt", "Describe this image.", "--image", image, "--dump", dump);

        Assert.True(code == 0, stderr);
        var length = JsonDocument.Parse(stdout).RootElement.GetProperty("prompt_tokens").GetInt32();
        var pixels = NpyFile.Read(Path.Combine(dump, "pixel_values.npy"));
        Assert.Equal(new[] { 48, 1176 }, pixels.Shape);
        Assert.Equal(NpyFile.Read(Path.Combine(TestAssets.Golden, "gradient_123x77.pixel_values.npy")).AsFloats(), pixels.AsFloats(), (a, b) => Math.Abs(a - b) <= 1e-6f);
        Assert.Equal(new[] { 3, 1, length }, NpyFile.Read(Path.Combine(dump, "position_ids.npy")).Shape);
        Assert.Equal(new[] { 48, 40 }, NpyFile.Read(Path.Combine(dump, "rotary_pos_emb.npy")).Shape);
    }

    [Theory]
    [InlineData("missing-model")]
    [InlineData("missing-image")]
    [InlineData("corrupt-image")]
    [InlineData("budget")]
    [InlineData("aspect")]
    [InlineData("no-prompt")]
    public void Errors_go_to_stderr_with_exit_code_2_and_no_stack_trace(string kind)
    {
        var model = TestAssets.ModelFolder;
        string[] args = kind switch
        {
            "missing-model" => ["inspect", "--model", Path.Combine(TestAssets.NewTempFolder(), "none"), "--prompt", "x"],
            "missing-image" => ["inspect", "--model", model, "--prompt", "x", "--image", Path.Combine(TestAssets.Images, "nope.jpg")],
            "corrupt-image" => ["inspect", "--model", model, "--prompt", "x", "--image", Path.Combine(TestAssets.Images, "truncated.png")],
            "budget" => ["inspect", "--model", model, "--prompt", "x", "--min-pixels", "5000", "--max-pixels", "10"],
            "aspect" => ["inspect", "--model", model, "--prompt", "x", "--image", WriteWidePng()],
            _ => ["inspect", "--model", model],
        };

        var (code, stdout, stderr) = CommandLine.Run(args);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout.Trim());
        Assert.StartsWith("qwenvl: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static string WriteWidePng()
    {
        // 402×2 pixels: aspect ratio 201 > 200.
        var rgb = new byte[402 * 2 * 3];
        var path = Path.Combine(TestAssets.NewTempFolder(), "wide.png");
        using (var bitmap = new SkiaSharp.SKBitmap(402, 2))
        {
            bitmap.Erase(SkiaSharp.SKColors.Red);
            using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path, data.ToArray());
        }

        Assert.NotEmpty(rgb);
        return path;
    }
}
