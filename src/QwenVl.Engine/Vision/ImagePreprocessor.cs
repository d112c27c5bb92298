using QwenVl.Engine.Model;
using QwenVl.Engine.Video;

namespace QwenVl.Engine.Vision;

/// <summary>
/// The Qwen2-VL image processor: smart_resize into the pixel budget, Pillow-exact bicubic resize, rescale and
/// normalise, the frame repeated to the temporal patch size, and patches flattened in HF order.
/// </summary>
public sealed class ImagePreprocessor
{
    private readonly PreprocessorConfig _config;
    private readonly float[] _normalization;

    public ImagePreprocessor(PreprocessorConfig config)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _normalization = PatchFlattener.NormalizationTable(config.ImageMean, config.ImageStd, config.RescaleFactor);
    }

    /// <summary>The budget from preprocessor_config.json.</summary>
    public PixelBudget DefaultBudget => new(_config.MinPixels, _config.MaxPixels);

    /// <summary>What an image of this size will be resized to, and the tokens it will cost, without touching pixels.</summary>
    public (ImageSize Resized, GridThw Grid, int Tokens) Plan(ImageSize original, PixelBudget? budget = null)
    {
        var resized = SmartResize.Compute(original.Width, original.Height, _config.ResizeFactor, budget ?? DefaultBudget);
        var grid = new GridThw(1, resized.Height / _config.PatchSize, resized.Width / _config.PatchSize);
        return (resized, grid, grid.TokenCount(_config.MergeSize));
    }

    /// <summary>The patch grid a sampled video becomes: frame pairs (an odd count repeats the last frame) × the resized frame's patches.</summary>
    public GridThw PlanVideo(VideoFramePlan plan, ImageSize resized)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var temporal = _config.TemporalPatchSize;
        return new GridThw((plan.FrameCount + temporal - 1) / temporal, resized.Height / _config.PatchSize, resized.Width / _config.PatchSize);
    }

    /// <summary>Preprocesses one decoded image.</summary>
    /// <exception cref="ImageInputException">The size is outside what smart_resize accepts.</exception>
    public PreprocessedImage Preprocess(RgbImage image, PixelBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (resizedSize, grid, tokens) = Plan(image.Size, budget);
        var resized = PillowBicubicResize.Resize(image, resizedSize.Width, resizedSize.Height);
        var patchDim = 3 * _config.TemporalPatchSize * _config.PatchSize * _config.PatchSize;
        var pixelValues = GC.AllocateUninitializedArray<float>(checked(grid.PatchCount * patchDim));
        var frames = Enumerable.Repeat(resized, _config.TemporalPatchSize).ToArray();
        PatchFlattener.Flatten(frames, _config.PatchSize, _config.MergeSize, _config.TemporalPatchSize, _normalization, pixelValues);
        return new PreprocessedImage(image.Size, resizedSize, grid, pixelValues, patchDim, tokens);
    }

    /// <summary>
    /// Normalises and flattens a sampled video's frames, two per temporal patch (an odd count repeats the last frame,
    /// as HF's video processor does).
    /// </summary>
    public PreprocessedVideo PreprocessVideo(VideoClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var frames = clip.Frames.ToList();
        while (frames.Count % _config.TemporalPatchSize != 0)
        {
            frames.Add(frames[^1]);
        }

        var grid = PlanVideo(clip.Plan, clip.Resized);
        var patchDim = 3 * _config.TemporalPatchSize * _config.PatchSize * _config.PatchSize;
        var pixelValues = GC.AllocateUninitializedArray<float>(checked(grid.PatchCount * patchDim));
        PatchFlattener.Flatten(frames, _config.PatchSize, _config.MergeSize, _config.TemporalPatchSize, _normalization, pixelValues);
        return new PreprocessedVideo(clip, grid, pixelValues, patchDim, grid.TokenCount(_config.MergeSize), clip.Plan.SecondsPerGrid(_config.TemporalPatchSize));
    }
}
