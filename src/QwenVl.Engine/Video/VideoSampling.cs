using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Video;

/// <summary>
/// qwen_vl_utils' frame selection (<c>calculate_video_frame_range</c>, <c>smart_nframes</c>, then
/// <c>torch.linspace(start, end, n).round()</c>) and its per-frame pixel budget.
/// </summary>
public static class VideoSampling
{
    /// <summary>Frames are taken in pairs (one temporal patch).</summary>
    public const int FrameFactor = 2;

    /// <summary>Picks the frames of a video with <paramref name="totalFrames"/> frames at <paramref name="videoFps"/>.</summary>
    /// <exception cref="VideoInputException">The video or the requested range is too short, or the values are invalid.</exception>
    public static VideoFramePlan Plan(int totalFrames, double videoFps, VideoSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(videoFps > 0) || double.IsInfinity(videoFps))
        {
            throw new VideoInputException($"The video reports {videoFps} frames per second.");
        }

        if (totalFrames <= 0)
        {
            throw new VideoInputException("The video has no frames.");
        }

        if (!(options.Fps > 0))
        {
            throw new VideoInputException($"The sampling rate must be positive (got {options.Fps} frames per second).");
        }

        var (start, end, rangeFrames) = FrameRange(totalFrames, videoFps, options);
        var count = FrameCount(rangeFrames, videoFps, options);
        var indices = LinspaceRounded(start, end, count);
        return new VideoFramePlan(start, end, indices, count / Math.Max(rangeFrames, 1e-6) * videoFps);
    }

    /// <summary>
    /// The per-frame budget: at least <see cref="VideoSamplingOptions.MinPixels"/>; at most the smaller of
    /// <see cref="VideoSamplingOptions.MaxPixels"/> and the total budget shared by frame pairs, but never below
    /// 1.05 × the minimum (qwen_vl_utils <c>fetch_video</c>).
    /// </summary>
    public static PixelBudget FrameBudget(int frameCount, VideoSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        const long limit = 768L * PixelBudget.PixelsPerToken;
        var max = Math.Max(Math.Min(limit, (double)options.TotalPixels / frameCount * FrameFactor), (long)(options.MinPixels * 1.05));
        return new PixelBudget(options.MinPixels, (long)Math.Min(max, options.MaxPixels));
    }

    private static (int Start, int End, int Frames) FrameRange(int totalFrames, double videoFps, VideoSamplingOptions options)
    {
        if (options.StartSeconds is null && options.EndSeconds is null)
        {
            return (0, totalFrames - 1, totalFrames);
        }

        var duration = totalFrames / videoFps;
        var start = options.StartSeconds is { } s ? (int)Math.Ceiling(Math.Clamp(s, 0, duration) * videoFps) : 0;
        var end = options.EndSeconds is { } e ? Math.Min((int)Math.Floor(Math.Clamp(e, 0, duration) * videoFps), totalFrames - 1) : totalFrames - 1;
        if (start >= end)
        {
            throw new VideoInputException($"The time range {options.StartSeconds ?? 0:0.##}–{options.EndSeconds ?? duration:0.##} s holds no frames to sample (the video is {duration:0.##} s long).");
        }

        return (start, end, end - start + 1);
    }

    private static int FrameCount(int totalFrames, double videoFps, VideoSamplingOptions options)
    {
        var minFrames = CeilByFactor(options.MinFrames);
        var maxFrames = FloorByFactor(Math.Min(options.MaxFrames, totalFrames));
        var wanted = totalFrames / videoFps * options.Fps;
        var count = FloorByFactor(Math.Min(Math.Min(Math.Max(wanted, minFrames), maxFrames), totalFrames));
        if (count < FrameFactor || count > totalFrames)
        {
            throw new VideoInputException($"The video is too short: it has {totalFrames} frame(s), and the model needs at least {FrameFactor}.");
        }

        return count;
    }

    private static int CeilByFactor(double value) => (int)Math.Ceiling(value / FrameFactor) * FrameFactor;

    private static int FloorByFactor(double value) => (int)Math.Floor(value / FrameFactor) * FrameFactor;

    /// <summary>
    /// <c>torch.linspace(start, end, steps).round().long()</c> as PyTorch computes it on CPU: float32, the first half
    /// counted up from start and the second half down from end, then round half to even.
    /// </summary>
    internal static int[] LinspaceRounded(int start, int end, int steps)
    {
        var result = new int[steps];
        if (steps == 1)
        {
            result[0] = start;
            return result;
        }

        float first = start, last = end;
        var step = (last - first) / (steps - 1);
        var halfway = steps / 2;
        for (var i = 0; i < steps; i++)
        {
            var value = i < halfway ? first + (step * i) : last - (step * (steps - i - 1));
            result[i] = (int)MathF.Round(value, MidpointRounding.ToEven);
        }

        return result;
    }
}
