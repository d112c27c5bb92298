using QwenVl.Engine.Text;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Processing;

/// <summary>A conversation turned into model inputs: ids with pads expanded, preprocessed images, mRoPE positions.</summary>
public sealed class PreparedPrompt
{
    internal PreparedPrompt(string text, int[] inputIds, IReadOnlyList<PreprocessedImage> images, RopePositions positions, VisionEncoderInputs? imageVision)
    {
        Text = text;
        InputIds = inputIds;
        Images = images;
        Positions = positions;
        ImageVision = imageVision;
    }

    /// <summary>The rendered chat template, before pad expansion.</summary>
    public string Text { get; }

    /// <summary>Token ids with every <c>&lt;|image_pad|&gt;</c> expanded to the image's token count.</summary>
    public int[] InputIds { get; }

    public IReadOnlyList<PreprocessedImage> Images { get; }

    public IReadOnlyList<GridThw> ImageGrids => Images.Select(i => i.Grid).ToArray();

    public RopePositions Positions { get; }

    /// <summary>Vision-tower inputs for all images together; null when the prompt has no image.</summary>
    public VisionEncoderInputs? ImageVision { get; }

    /// <summary>Sum of the images' vision tokens.</summary>
    public int ImageTokenCount => Images.Sum(i => i.TokenCount);

    /// <summary>All images' pixel values stacked: float32 [N, 1176].</summary>
    public float[] ConcatenatedPixelValues()
    {
        if (Images.Count == 1)
        {
            return Images[0].PixelValues;
        }

        var result = GC.AllocateUninitializedArray<float>(Images.Sum(i => i.PixelValues.Length));
        var offset = 0;
        foreach (var image in Images)
        {
            image.PixelValues.CopyTo(result, offset);
            offset += image.PixelValues.Length;
        }

        return result;
    }
}
