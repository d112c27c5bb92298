namespace QwenVl.Engine.Video;

/// <summary>Which frames of a video the model sees, and the rate they represent.</summary>
/// <param name="StartFrame">First frame of the sampled range.</param>
/// <param name="EndFrame">Last frame of the sampled range (inclusive).</param>
/// <param name="FrameIndices">The frames taken, in order (an even count).</param>
/// <param name="SampleFps">Frames taken per second of video: frames / range frames × the video's fps.</param>
public sealed record VideoFramePlan(int StartFrame, int EndFrame, IReadOnlyList<int> FrameIndices, double SampleFps)
{
    public int FrameCount => FrameIndices.Count;

    /// <summary>Seconds one temporal patch (two frames) spans: HF's <c>second_per_grid_t</c> = temporal_patch_size / fps.</summary>
    public double SecondsPerGrid(int temporalPatchSize) => temporalPatchSize / SampleFps;
}
