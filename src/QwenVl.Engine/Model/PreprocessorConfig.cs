namespace QwenVl.Engine.Model;

/// <summary>Typed view of <c>preprocessor_config.json</c> (Qwen2VLImageProcessor).</summary>
public sealed record PreprocessorConfig
{
    public required long MinPixels { get; init; }
    public required long MaxPixels { get; init; }
    public required int PatchSize { get; init; }
    public required int TemporalPatchSize { get; init; }
    public required int MergeSize { get; init; }
    public required IReadOnlyList<float> ImageMean { get; init; }
    public required IReadOnlyList<float> ImageStd { get; init; }

    /// <summary>1/255 unless the file says otherwise.</summary>
    public double RescaleFactor { get; init; } = 1.0 / 255.0;

    /// <summary>Side length that resized images are multiples of (patch_size × merge_size = 28).</summary>
    public int ResizeFactor => PatchSize * MergeSize;
}
