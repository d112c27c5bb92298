using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Budget;

/// <summary>
/// What a request will ask of the model, known before any pixel is decoded or any graph runs: the prompt's tokens
/// (vision pads expanded), the patch grids of its images and videos, and the answer tokens it may add.
/// </summary>
public sealed record PromptShape(int PromptTokens, IReadOnlyList<GridThw> ImageGrids, IReadOnlyList<GridThw> VideoGrids, int MaxNewTokens)
{
    public int ContextTokens => PromptTokens + MaxNewTokens;

    public int ImageTokens(int spatialMergeSize) => ImageGrids.Sum(g => g.TokenCount(spatialMergeSize));

    public int VideoTokens(int spatialMergeSize) => VideoGrids.Sum(g => g.TokenCount(spatialMergeSize));
}
