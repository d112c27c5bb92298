namespace QwenVlWeb.Uploads;

/// <summary>
/// Decides an upload's type from its first bytes, never from its name or the browser's claim: an SVG or HTML file
/// renamed to .png or .mp4 is refused before any decoder sees it.
/// </summary>
public static class ImageSniffer
{
    /// <summary>The bytes needed to recognise every accepted type.</summary>
    public const int HeaderLength = 16;

    /// <summary>The accepted image types, for messages.</summary>
    public const string AcceptedTypes = "PNG, JPEG, WebP, GIF or BMP";

    /// <summary>The accepted video containers, for messages (the formats of the notebook's demo).</summary>
    public const string AcceptedVideoTypes = "MP4, MOV, MKV, WebM, AVI, WMV, FLV or MPEG";

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

    /// <summary>The media type of an accepted video container, or null.</summary>
    public static string? VideoMediaType(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8))
        {
            return header[8..10].SequenceEqual("qt"u8) ? "video/quicktime" : "video/mp4";
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return "video/x-matroska"; // Matroska and WebM share the EBML header; ffmpeg reads both.
        }

        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("AVI "u8))
        {
            return "video/x-msvideo";
        }

        if (header.StartsWith("FLV"u8))
        {
            return "video/x-flv";
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]))
        {
            return "video/x-ms-wmv";
        }

        return header.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0xBA]) || header.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0xB3]) ? "video/mpeg" : null;
    }
}
