using SkiaSharp;

namespace QwenVl.Engine.Vision;

/// <summary>
/// Decodes untrusted image bytes (PNG, JPEG, WebP, GIF, BMP, ICO…) with Skia into 8-bit RGB: the size is checked
/// from the header before decoding, the EXIF orientation is applied, and transparency is composited on white
/// (qwen-vl-utils' <c>to_rgb</c>). See docs/image-decoding.md for why Skia rather than ImageSharp.
/// </summary>
public sealed class ImageDecoder
{
    private readonly ImageDecoderOptions _options;

    public ImageDecoder(ImageDecoderOptions? options = null)
    {
        _options = options ?? ImageDecoderOptions.Default;
    }

    /// <summary>Decodes an image file.</summary>
    /// <exception cref="ImageInputException">Missing, too large, unsupported or corrupt.</exception>
    public RgbImage DecodeFile(string path) => Decode(ReadFile(path), Path.GetFileName(path));

    /// <summary>An image file's bytes, refused in words when it is missing, unreadable or larger than the limit.</summary>
    /// <exception cref="ImageInputException">Missing, too large or unreadable.</exception>
    public byte[] ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ImageInputException($"The image file '{path}' does not exist.");
        }

        if (info.Length > _options.MaxEncodedBytes)
        {
            throw new ImageInputException($"'{info.Name}' is {info.Length:N0} bytes; images larger than {_options.MaxEncodedBytes:N0} bytes are not accepted.");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new ImageInputException($"'{info.Name}' could not be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ImageInputException($"'{info.Name}' could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The size the image will have once decoded (EXIF rotation applied), from its header alone: what budget checks
    /// need before any pixel is decoded.
    /// </summary>
    /// <exception cref="ImageInputException">Empty, too large, unsupported or truncated before its header ends.</exception>
    public ImageSize ReadSize(ReadOnlySpan<byte> encoded, string displayName = "the image") => WithCodec(encoded, displayName, codec =>
    {
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var swaps = _options.ApplyExifOrientation && OrientationNumber(codec.EncodedOrigin) >= 5;
        return swaps ? new ImageSize(height, width) : new ImageSize(width, height);
    });

    /// <summary>Decodes encoded image bytes. <paramref name="displayName"/> names the image in error messages.</summary>
    /// <exception cref="ImageInputException">Too large, unsupported or corrupt.</exception>
    public RgbImage Decode(ReadOnlySpan<byte> encoded, string displayName = "the image") => WithCodec(encoded, displayName, codec => DecodePixels(codec, displayName));

    /// <summary>Checks the encoded size, opens a codec over the bytes and hands it to <paramref name="use"/>.</summary>
    private T WithCodec<T>(ReadOnlySpan<byte> encoded, string displayName, Func<SKCodec, T> use)
    {
        if (encoded.Length == 0)
        {
            throw new ImageInputException($"{displayName} is empty.");
        }

        if (encoded.Length > _options.MaxEncodedBytes)
        {
            throw new ImageInputException($"{displayName} is {encoded.Length:N0} bytes; images larger than {_options.MaxEncodedBytes:N0} bytes are not accepted.");
        }

        using var data = SKData.CreateCopy(encoded);
        using var stream = new SKMemoryStream(data);
        using var codec = SKCodec.Create(stream, out var createResult);
        if (codec is null)
        {
            throw new ImageInputException(createResult == SKCodecResult.IncompleteInput
                ? $"{displayName} could not be decoded: the file is truncated."
                : $"{displayName} is not an image in a supported format (PNG, JPEG, WebP, GIF, BMP).");
        }

        return use(codec);
    }

    private RgbImage DecodePixels(SKCodec codec, string displayName)
    {
        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width <= 0 || height <= 0)
        {
            throw new ImageInputException($"{displayName} declares an empty size ({width}×{height}).");
        }

        if ((long)width * height > _options.MaxPixels)
        {
            throw new ImageInputException($"{displayName} is {width}×{height} pixels; images above {_options.MaxPixels:N0} pixels are not accepted.");
        }

        // Unpremultiplied RGBA with no colour space: the stored samples as they are, like Pillow (which ignores ICC
        // profiles unless asked), so resizing sees the same numbers as the reference.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize64];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* p = rgba)
            {
                result = codec.GetPixels(info, (IntPtr)p);
            }
        }

        if (result != SKCodecResult.Success)
        {
            throw new ImageInputException($"{displayName} could not be decoded: {Describe(result)}.");
        }

        var rgb = CompositeOnWhite(rgba, width, height);
        return _options.ApplyExifOrientation ? ExifOrientation.Apply(rgb, OrientationNumber(codec.EncodedOrigin)) : rgb;
    }

    /// <summary>
    /// RGBA → RGB over a white background with Pillow's rounding (<c>paste</c> with an alpha mask:
    /// (white·(255−a) + c·a + 128) / 255 in integer arithmetic).
    /// </summary>
    internal static RgbImage CompositeOnWhite(byte[] rgba, int width, int height)
    {
        var rgb = new byte[3 * width * height];
        var pixels = width * height;
        for (int i = 0, s = 0, d = 0; i < pixels; i++, s += 4, d += 3)
        {
            int a = rgba[s + 3];
            if (a == 255)
            {
                rgb[d] = rgba[s];
                rgb[d + 1] = rgba[s + 1];
                rgb[d + 2] = rgba[s + 2];
            }
            else
            {
                rgb[d] = Blend(rgba[s], a);
                rgb[d + 1] = Blend(rgba[s + 1], a);
                rgb[d + 2] = Blend(rgba[s + 2], a);
            }
        }

        return new RgbImage(width, height, rgb);
    }

    private static byte Blend(int color, int alpha)
    {
        var tmp = (255 * (255 - alpha)) + (color * alpha) + 128;
        return (byte)(((tmp >> 8) + tmp) >> 8);
    }

    private static int OrientationNumber(SKEncodedOrigin origin) => origin switch
    {
        SKEncodedOrigin.TopRight => 2,
        SKEncodedOrigin.BottomRight => 3,
        SKEncodedOrigin.BottomLeft => 4,
        SKEncodedOrigin.LeftTop => 5,
        SKEncodedOrigin.RightTop => 6,
        SKEncodedOrigin.RightBottom => 7,
        SKEncodedOrigin.LeftBottom => 8,
        _ => 1,
    };

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file is truncated",
        SKCodecResult.ErrorInInput => "the file is corrupt",
        SKCodecResult.InvalidInput => "the data is invalid",
        SKCodecResult.Unimplemented => "this variant of the format is not supported",
        SKCodecResult.InvalidConversion => "its pixel format cannot be converted to RGB",
        SKCodecResult.InvalidScale => "the requested scale is not supported",
        SKCodecResult.InvalidParameters => "invalid decoding parameters",
        SKCodecResult.CouldNotRewind => "the data could not be re-read",
        SKCodecResult.InternalError => "the decoder failed",
        _ => "the format was not recognised",
    };
}
