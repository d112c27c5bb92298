namespace QwenVlWeb.Uploads;

/// <summary>The upload endpoint's answer for an accepted image or video (<paramref name="DurationSeconds"/> set for videos).</summary>
/// <param name="Id">The store's id, for attaching.</param>
/// <param name="Name">The file's display name.</param>
/// <param name="MediaType">Decided by the file's first bytes.</param>
/// <param name="Width">Width as shown.</param>
/// <param name="Height">Height as shown.</param>
/// <param name="Thumbnail">A small JPEG data URL (a video's first frame).</param>
/// <param name="DurationSeconds">A video's length.</param>
public sealed record UploadResult(string Id, string Name, string MediaType, int Width, int Height, string Thumbnail, double? DurationSeconds = null);
