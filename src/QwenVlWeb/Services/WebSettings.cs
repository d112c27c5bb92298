namespace QwenVlWeb.Services;

/// <summary>The <c>Web</c> section of appsettings.json: sharing, limits and the demo model.</summary>
public sealed class WebSettings
{
    public const string Section = "Web";

    /// <summary>When set, the page and its endpoints ask for this code once per browser (a cookie remembers it).</summary>
    public string AccessCode { get; set; } = string.Empty;

    /// <summary>The largest image file accepted, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>The most images and videos one message may carry.</summary>
    public int MaxImagesPerMessage { get; set; } = 8;

    /// <summary>The largest video file accepted, in bytes (videos need FFmpeg).</summary>
    public long MaxVideoBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>The longest video accepted, in seconds.</summary>
    public double MaxVideoSeconds { get; set; } = 600;

    /// <summary>The largest image accepted, in pixels (width × height), before any resizing.</summary>
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>The most requests that may wait in the generation queue; more are refused with a message.</summary>
    public int MaxQueueLength { get; set; } = 32;

    /// <summary>Where the offline demo model (random weights) is generated on first use.</summary>
    public string DemoModelPath { get; set; } = "models/demo-tiny";
}
