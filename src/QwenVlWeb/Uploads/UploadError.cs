namespace QwenVlWeb.Uploads;

/// <summary>The upload endpoint's answer for a refused file: words for the page.</summary>
public sealed record UploadError(string Error);
