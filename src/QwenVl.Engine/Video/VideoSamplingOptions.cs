using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Video;

/// <summary>
/// How a video is sampled and sized, with qwen_vl_utils' defaults: 2 frames per second, at least 4 and at most 768
/// frames; each frame 128…768 vision tokens, and all frames together at most 128,000 × 0.9 tokens' worth of pixels.
/// </summary>
public sealed record VideoSamplingOptions
{
    /// <summary>Frames sampled per second of video (qwen_vl_utils' <c>FPS</c>).</summary>
    public double Fps { get; init; } = 2.0;

    public int MinFrames { get; init; } = 4;

    public int MaxFrames { get; init; } = 768;

    /// <summary>Start of the part to sample, in seconds (<c>video_start</c>); null for the beginning.</summary>
    public double? StartSeconds { get; init; }

    /// <summary>End of the part to sample, in seconds (<c>video_end</c>); null for the end.</summary>
    public double? EndSeconds { get; init; }

    /// <summary>Least pixels per frame (<c>VIDEO_MIN_PIXELS</c> = 128·28·28).</summary>
    public long MinPixels { get; init; } = 128L * PixelBudget.PixelsPerToken;

    /// <summary>Most pixels per frame (<c>VIDEO_MAX_PIXELS</c> = 768·28·28); a user value can only lower the computed limit.</summary>
    public long MaxPixels { get; init; } = 768L * PixelBudget.PixelsPerToken;

    /// <summary>Most pixels over all frames (<c>VIDEO_TOTAL_PIXELS</c> = 128000·28·28·0.9).</summary>
    public long TotalPixels { get; init; } = (long)(128000 * 28 * 28 * 0.9);

    public static VideoSamplingOptions Default { get; } = new();
}
