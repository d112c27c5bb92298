using QwenVl.Engine.Vision;
using SkiaSharp;

namespace QwenVlWeb.Uploads;

/// <summary>Small JPEG previews as data URLs, made from the decoded (EXIF-oriented) pixels the model will see.</summary>
public static class Thumbnail
{
    public const int MaxSide = 192;

    public static string CreateDataUrl(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(image.Width, image.Height));
        var width = Math.Max(1, (int)Math.Round(image.Width * scale));
        var height = Math.Max(1, (int)Math.Round(image.Height * scale));

        var source = image.Pixels;
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < source.Length; i += 3, j += 4)
        {
            rgba[j] = source[i];
            rgba[j + 1] = source[i + 1];
            rgba[j + 2] = source[i + 2];
            rgba[j + 3] = 255;
        }

        using var full = SKImage.FromPixelCopy(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba);
        using var small = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        full.ScalePixels(small.PeekPixels(), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var encoded = small.Encode(SKEncodedImageFormat.Jpeg, 80);
        return "data:image/jpeg;base64," + Convert.ToBase64String(encoded.AsSpan());
    }
}
