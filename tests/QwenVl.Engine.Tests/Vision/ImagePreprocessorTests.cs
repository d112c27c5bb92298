using QwenVl.Engine.Model;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Vision;

public class ImagePreprocessorTests
{
    private static readonly Lazy<ImagePreprocessor> Shared = new(() => new ImagePreprocessor(ModelFolder.Load(TestAssets.ModelFolder).Preprocessor));

    private static ImagePreprocessor Preprocessor => Shared.Value;

    [Theory]
    [InlineData("gradient_123x77")]
    [InlineData("gradient_20x30")]
    [InlineData("alpha_90x61")]
    public void Pixel_values_match_Pillow_plus_the_HF_reshape_and_transpose(string stem)
    {
        var golden = Golden.Cases("images").Single(c => c.GetProperty("file").GetString()!.StartsWith(stem, StringComparison.Ordinal));
        var expected = NpyFile.Read(Path.Combine(TestAssets.Golden, stem + ".pixel_values.npy"));
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestAssets.Images, golden.GetProperty("file").GetString()!));

        var result = Preprocessor.Preprocess(image);

        Assert.Equal(golden.GetProperty("grid_thw").Ints(), new[] { result.Grid.T, result.Grid.H, result.Grid.W });
        Assert.Equal(golden.GetProperty("tokens").GetInt32(), result.TokenCount);
        Assert.Equal(expected.Shape, new[] { result.Grid.PatchCount, result.PatchDim });
        AssertClose(expected.AsFloats(), result.PixelValues, 1e-6f);
    }

    [Theory]
    [InlineData("gradient_600x400")]
    [InlineData("gray_64x100")]
    public void Resized_pixels_match_Pillow_exactly(string stem)
    {
        var golden = Golden.Cases("images").Single(c => c.GetProperty("file").GetString()!.StartsWith(stem, StringComparison.Ordinal));
        var budget = golden.GetProperty("budget").Longs();
        var expected = NpyFile.Read(Path.Combine(TestAssets.Golden, stem + ".resized.npy"));
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestAssets.Images, golden.GetProperty("file").GetString()!));

        var (resizedSize, grid, tokens) = Preprocessor.Plan(image.Size, new PixelBudget(budget[0], budget[1]));
        var resized = PillowBicubicResize.Resize(image, resizedSize.Width, resizedSize.Height);

        Assert.Equal((golden.GetProperty("resized_width").GetInt32(), golden.GetProperty("resized_height").GetInt32()), (resizedSize.Width, resizedSize.Height));
        Assert.Equal(golden.GetProperty("tokens").GetInt32(), tokens);
        Assert.Equal(grid.TokenCount(2), tokens);
        PillowBicubicResizeTests.AssertBytesEqual(expected.AsBytes(), resized.Pixels.ToArray(), resized.Width);
    }

    [Fact]
    public void A_white_224_image_gives_transformers_js_published_mean()
    {
        // transformers.js Qwen2-VL image-processor test: white 224×224 → pixel_values [256, 1176], mean 2.050372362136841.
        var white = new RgbImage(224, 224, Enumerable.Repeat((byte)255, 224 * 224 * 3).ToArray());

        var result = Preprocessor.Preprocess(white);

        Assert.Equal(new GridThw(1, 16, 16), result.Grid);
        Assert.Equal(256 * 1176, result.PixelValues.Length);
        Assert.Equal(2.050372362136841, result.PixelValues.Average(v => (double)v), 1e-6);
    }

    [Fact]
    public void Patch_order_matches_a_brute_force_reshape_and_transpose()
    {
        // An independent generic N-d permutation of the normalised [T=2, C, H, W] frames, following the HF view
        // [gt, tp, c, gh/m, m, p, gw/m, m, p] → permute(0,3,6,4,7,2,1,5,8) → [gt·gh·gw, c·tp·p·p].
        var bytes = new byte[56 * 84 * 3];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 7919) % 251);
        }

        var image = new RgbImage(84, 56, bytes);
        var result = Preprocessor.Preprocess(image, new PixelBudget(56 * 84, 56 * 84));

        var mean = new[] { 0.48145466f, 0.4578275f, 0.40821073f };
        var std = new[] { 0.26862954f, 0.26130258f, 0.27577711f };
        const int c = 3, h = 56, w = 84, p = 14, m = 2, tp = 2, gt = 1, gh = h / p, gw = w / p;
        var frames = new float[tp * c * h * w];
        for (var t = 0; t < tp; t++)
        {
            for (var ch = 0; ch < c; ch++)
            {
                for (var y = 0; y < h; y++)
                {
                    for (var x = 0; x < w; x++)
                    {
                        var u = bytes[(((y * w) + x) * 3) + ch];
                        frames[(((((t * c) + ch) * h) + y) * w) + x] = ((float)(u * (1.0 / 255.0)) - mean[ch]) / std[ch];
                    }
                }
            }
        }

        var expected = Tensor.Permute(frames, [gt, tp, c, gh / m, m, p, gw / m, m, p], [0, 3, 6, 4, 7, 2, 1, 5, 8]);

        Assert.Equal(expected, result.PixelValues);
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance)
            {
                Assert.Fail($"Element {i} (row {i / 1176}, column {i % 1176}): expected {expected[i]}, got {actual[i]}.");
            }
        }
    }
}
