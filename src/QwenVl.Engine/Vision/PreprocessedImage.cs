namespace QwenVl.Engine.Vision;

/// <summary>
/// One image ready for the vision encoder: <see cref="PixelValues"/> is float32 [grid.T·grid.H·grid.W, 1176] in HF
/// patch order, plus the geometry needed later (token count, and mapping grounding boxes back to the original).
/// </summary>
public sealed class PreprocessedImage
{
    internal PreprocessedImage(ImageSize original, ImageSize resized, GridThw grid, float[] pixelValues, int patchDim, int tokenCount)
    {
        Original = original;
        Resized = resized;
        Grid = grid;
        PixelValues = pixelValues;
        PatchDim = patchDim;
        TokenCount = tokenCount;
    }

    /// <summary>Size after EXIF orientation, before resizing.</summary>
    public ImageSize Original { get; }

    /// <summary>Size the vision encoder sees (multiples of 28); Qwen2.5-VL's box coordinates are in this space.</summary>
    public ImageSize Resized { get; }

    public GridThw Grid { get; }

    /// <summary>Row-major [patches, <see cref="PatchDim"/>] float32.</summary>
    public float[] PixelValues { get; }

    /// <summary>Columns of <see cref="PixelValues"/>: channels × temporal_patch × patch² = 1176.</summary>
    public int PatchDim { get; }

    /// <summary><c>&lt;|image_pad|&gt;</c> tokens this image becomes in the prompt.</summary>
    public int TokenCount { get; }
}
