namespace QwenVl.Engine.Vision;

/// <summary>
/// The patch grid of one image or video: temporal patches × patch rows × patch columns (HF's <c>grid_thw</c>).
/// </summary>
public readonly record struct GridThw(int T, int H, int W)
{
    /// <summary>Rows of <c>pixel_values</c> this item contributes (t·h·w).</summary>
    public int PatchCount => checked(T * H * W);

    /// <summary>Language-model tokens after the spatial merge (t·h·w / merge²).</summary>
    public int TokenCount(int spatialMergeSize) => PatchCount / (spatialMergeSize * spatialMergeSize);

    public override string ToString() => $"[{T}, {H}, {W}]";
}
