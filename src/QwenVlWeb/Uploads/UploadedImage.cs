namespace QwenVlWeb.Uploads;

/// <summary>An accepted image: its bytes as sent, its size after EXIF orientation, and a small preview.</summary>
public sealed record UploadedImage(string Id, string Name, string MediaType, byte[] Data, int Width, int Height, string ThumbnailDataUrl)
{
    public DateTimeOffset StoredAt { get; init; }
}
