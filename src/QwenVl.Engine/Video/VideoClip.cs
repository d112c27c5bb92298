using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Video;

/// <summary>A video sampled and resized for the model: the chosen frames at the size the vision tower will see.</summary>
public sealed class VideoClip
{
    public VideoClip(string name, VideoInfo info, VideoFramePlan plan, ImageSize resized, IReadOnlyList<RgbImage> frames)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Info = info ?? throw new ArgumentNullException(nameof(info));
        Plan = plan ?? throw new ArgumentNullException(nameof(plan));
        Frames = frames ?? throw new ArgumentNullException(nameof(frames));
        Resized = resized;
        if (frames.Count != plan.FrameCount || frames.Any(f => f.Width != resized.Width || f.Height != resized.Height))
        {
            throw new ArgumentException($"Expected {plan.FrameCount} frames of {resized}.", nameof(frames));
        }
    }

    public string Name { get; }

    public VideoInfo Info { get; }

    public VideoFramePlan Plan { get; }

    /// <summary>Frame size after smart_resize within the per-frame budget.</summary>
    public ImageSize Resized { get; }

    /// <summary>The sampled frames, resized, in order.</summary>
    public IReadOnlyList<RgbImage> Frames { get; }
}
