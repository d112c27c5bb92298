namespace QwenVlWeb.Uploads;

/// <summary>The upload endpoint's answer for an accepted image.</summary>
public sealed record UploadResult(string Id, string Name, string MediaType, int Width, int Height, string Thumbnail);
