namespace QwenVlWeb.Uploads;

/// <summary>
/// Decides an upload's type from its first bytes, never from its name or the browser's claim: an SVG or HTML file
/// renamed to .png is refused before any decoder sees it.
/// </summary>
public static class ImageSniffer
{
    /// <summary>The bytes needed to recognise every accepted type.</summary>
    public const int HeaderLength = 12;

    /// <summary>The accepted types, for messages.</summary>
    public const string AcceptedTypes = "PNG, JPEG, WebP, GIF or BMP";

    /// <summary>The media type of an accepted image, or null.</summary>
    public static string? MediaType(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        return header.StartsWith("BM"u8) && header.Length >= 6 ? "image/bmp" : null;
    }
}
