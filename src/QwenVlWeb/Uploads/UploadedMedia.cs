using QwenVl.Engine.Video;

namespace QwenVlWeb.Uploads;

/// <summary>
/// An accepted upload: its bytes as sent, its size (after EXIF orientation or display rotation), a small preview
/// (a video's first frame), and for videos what ffprobe found.
/// </summary>
public sealed record UploadedMedia(string Id, string Name, string MediaType, byte[] Data, int Width, int Height, string ThumbnailDataUrl)
{
    public DateTimeOffset StoredAt { get; init; }

    /// <summary>Set for videos.</summary>
    public VideoInfo? Video { get; init; }
}
