using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Video;

/// <summary>
/// qwen_vl_utils' <c>fetch_video</c> over ffmpeg: probe, choose frames, size them within the per-frame budget and
/// resize each as it is decoded. qwen_vl_utils resizes with torchvision's antialiased bicubic on uint8 frames, whose
/// kernel was written after Pillow's; we use our Pillow-exact resize (byte-equality with torchvision is not checked
/// here: no torch on this machine), and ffmpeg's own YUV→RGB conversion where decord or torchcodec use theirs.
/// </summary>
public static class VideoLoader
{
    /// <summary>The resize factor: patch 14 × merge 2.</summary>
    public const int Factor = 28;

    /// <summary>What a video will become, without decoding any frame: the plan and the frame size.</summary>
    public static (VideoFramePlan Plan, ImageSize Resized) PlanFor(VideoInfo info, VideoSamplingOptions options, string displayName)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(options);
        var plan = VideoSampling.Plan(info.FrameCount, info.Fps, options);
        try
        {
            return (plan, SmartResize.Compute(info.Width, info.Height, Factor, VideoSampling.FrameBudget(plan.FrameCount, options)));
        }
        catch (ImageInputException ex)
        {
            throw new VideoInputException($"{displayName}: {ex.Message}", ex);
        }
    }

    public static async Task<VideoClip> LoadAsync(string path, string displayName, VideoSamplingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = await FfmpegVideoReader.ProbeAsync(path, displayName, cancellationToken).ConfigureAwait(false);
        return await LoadAsync(path, info, displayName, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Samples and resizes a video already probed as <paramref name="info"/>.</summary>
    public static async Task<VideoClip> LoadAsync(string path, VideoInfo info, string displayName, VideoSamplingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(options);
        var (plan, resized) = PlanFor(info, options, displayName);

        // A short video sampled up to the minimum frame count repeats indices; each distinct frame is decoded once.
        var distinct = plan.FrameIndices.Distinct().ToArray();
        var decoded = new RgbImage?[distinct.Length];
        var count = await FfmpegVideoReader.ReadFramesAsync(path, info, distinct,
            (i, frame) => decoded[i] = PillowBicubicResize.Resize(frame, resized.Width, resized.Height), displayName, cancellationToken).ConfigureAwait(false);
        if (count == 0)
        {
            throw new VideoInputException($"{displayName} could not be decoded: ffmpeg returned no frames.");
        }

        // A stream may announce more frames than it decodes; the last decoded frame stands in for the missing ones.
        for (var i = count; i < decoded.Length; i++)
        {
            decoded[i] = decoded[count - 1];
        }

        var byIndex = distinct.Select((index, i) => (index, i)).ToDictionary(p => p.index, p => decoded[p.i]!);
        return new VideoClip(displayName, info, plan, resized, [.. plan.FrameIndices.Select(index => byIndex[index])]);
    }
}
