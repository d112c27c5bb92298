using BenchmarkDotNet.Attributes;
using QwenVl.Engine.Vision;
using SkiaSharp;

namespace QwenVl.Benchmarks;

/// <summary>
/// Target (issue 2): a 2048×1365 photo to pixel_values [4988, 1176] in ≤ 20 ms on one core. The notebook's
/// budget (256…1280 tokens) resizes it to 1204×812 = 58×86 patches = 4988 rows.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ImagePreprocessingBenchmarks
{
    private readonly ImagePreprocessor _preprocessor = new(BenchmarkAssets.Preprocessor);
    private RgbImage _photo = null!;
    private RgbImage _resized = null!;
    private float[] _normalization = null!;
    private float[] _destination = null!;
    private SKBitmap _skiaPhoto = null!;

    [GlobalSetup]
    public void Setup()
    {
        _photo = BenchmarkAssets.DemoSizedPhoto();
        _resized = PillowBicubicResize.Resize(_photo, 1204, 812);
        _normalization = PatchFlattener.NormalizationTable(BenchmarkAssets.Preprocessor.ImageMean, BenchmarkAssets.Preprocessor.ImageStd, 1.0 / 255.0);
        _destination = new float[4988 * 1176];
        _skiaPhoto = new SKBitmap(new SKImageInfo(2048, 1365, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = _skiaPhoto.GetPixelSpan();
        var rgb = _photo.Pixels;
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgba[j] = rgb[i];
            rgba[j + 1] = rgb[i + 1];
            rgba[j + 2] = rgb[i + 2];
            rgba[j + 3] = 255;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _skiaPhoto.Dispose();

    [Benchmark(Baseline = true, Description = "Preprocess 2048×1365 → [4988, 1176]")]
    public float[] Preprocess() => _preprocessor.Preprocess(_photo, PixelBudget.Notebook).PixelValues;

    [Benchmark(Description = "Pillow bicubic 2048×1365 → 1204×812")]
    public RgbImage Resize() => PillowBicubicResize.Resize(_photo, 1204, 812);

    /// <summary>A peer for scale: Skia's Catmull-Rom cubic (no antialias widening, so fewer taps and not Pillow-exact).</summary>
    [Benchmark(Description = "Peer: SkiaSharp cubic resize 2048×1365 → 1204×812")]
    public SKBitmap SkiaResize()
    {
        var resized = _skiaPhoto.Resize(new SKImageInfo(1204, 812, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKCubicResampler.CatmullRom));
        resized.Dispose();
        return resized;
    }

    [Benchmark(Description = "Normalise + patchify 1204×812")]
    public float[] Flatten()
    {
        PatchFlattener.Flatten([_resized, _resized], 14, 2, 2, _normalization, _destination);
        return _destination;
    }
}
