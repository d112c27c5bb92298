using QwenVl.Engine.Text;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Processing;

/// <summary>A conversation turned into model inputs: ids with pads expanded, preprocessed images and videos, mRoPE positions.</summary>
public sealed class PreparedPrompt
{
    private readonly Model.VisionConfig _vision;
    private VisionEncoderInputs? _imageVision;
    private VisionEncoderInputs? _videoVision;

    internal PreparedPrompt(string text, int[] inputIds, IReadOnlyList<PreprocessedImage> images, IReadOnlyList<PreprocessedVideo> videos,
        RopePositions positions, Model.VisionConfig vision)
    {
        Text = text;
        InputIds = inputIds;
        Images = images;
        Videos = videos;
        Positions = positions;
        _vision = vision;
    }

    /// <summary>The rendered chat template, before pad expansion.</summary>
    public string Text { get; }

    /// <summary>Token ids with every <c>&lt;|image_pad|&gt;</c> and <c>&lt;|video_pad|&gt;</c> expanded to its token count.</summary>
    public int[] InputIds { get; }

    public IReadOnlyList<PreprocessedImage> Images { get; }

    public IReadOnlyList<GridThw> ImageGrids => Images.Select(i => i.Grid).ToArray();

    public IReadOnlyList<PreprocessedVideo> Videos { get; }

    public RopePositions Positions { get; }

    /// <summary>
    /// Vision-tower inputs for all images as one call (what <c>inspect</c> reports; generation builds them per call);
    /// null when the prompt has no image.
    /// </summary>
    public VisionEncoderInputs? ImageVision => Images.Count == 0 ? null : _imageVision ??= VisionEncoderInputs.Create(ImageGrids, _vision);

    /// <summary>Vision-tower inputs for all videos as one call (a separate call from the images, as in HF); null when the prompt has no video.</summary>
    public VisionEncoderInputs? VideoVision => Videos.Count == 0 ? null : _videoVision ??= VisionEncoderInputs.Create([.. Videos.Select(v => v.Grid)], _vision);

    /// <summary>Sum of the images' vision tokens.</summary>
    public int ImageTokenCount => Images.Sum(i => i.TokenCount);

    /// <summary>Sum of the videos' vision tokens.</summary>
    public int VideoTokenCount => Videos.Sum(v => v.TokenCount);

    /// <summary>All images' pixel values stacked: float32 [N, 1176].</summary>
    public float[] ConcatenatedPixelValues() => Concatenate(Images.Select(i => i.PixelValues).ToList());

    /// <summary>All videos' pixel values stacked (<c>pixel_values_videos</c>): float32 [N, 1176].</summary>
    public float[] ConcatenatedVideoPixelValues() => Concatenate(Videos.Select(v => v.PixelValues).ToList());

    private static float[] Concatenate(List<float[]> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var result = GC.AllocateUninitializedArray<float>(parts.Sum(p => p.Length));
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }
}
