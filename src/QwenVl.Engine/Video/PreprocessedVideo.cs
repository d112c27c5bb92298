using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Video;

/// <summary>One video ready for the vision encoder: patches of frame pairs, in HF order.</summary>
public sealed class PreprocessedVideo
{
    internal PreprocessedVideo(VideoClip clip, GridThw grid, float[] pixelValues, int patchDim, int tokenCount, double secondsPerGrid)
    {
        Clip = clip;
        Grid = grid;
        PixelValues = pixelValues;
        PatchDim = patchDim;
        TokenCount = tokenCount;
        SecondsPerGrid = secondsPerGrid;
    }

    public VideoClip Clip { get; }

    /// <summary>[frames / 2, H / 14, W / 14].</summary>
    public GridThw Grid { get; }

    /// <summary>Row-major [patches, <see cref="PatchDim"/>] float32 (<c>pixel_values_videos</c>).</summary>
    public float[] PixelValues { get; }

    public int PatchDim { get; }

    /// <summary><c>&lt;|video_pad|&gt;</c> tokens this video becomes.</summary>
    public int TokenCount { get; }

    /// <summary>Seconds per temporal patch: 2 / sample_fps (the real sampling rate, not the 2.0 default).</summary>
    public double SecondsPerGrid { get; }
}
