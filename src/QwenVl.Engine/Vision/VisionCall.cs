namespace QwenVl.Engine.Vision;

/// <summary>One run of the vision tower: consecutive slices of the prompt's images (or videos), in prompt order.</summary>
public sealed record VisionCall(IReadOnlyList<VisionSlice> Slices)
{
    /// <summary>Rows of pixel values the call encodes; its attention masks are this squared.</summary>
    public int PatchCount => Slices.Sum(s => s.PatchCount);

    /// <summary>The call's grids, one per slice: what the rotary table, window index and masks are built from.</summary>
    public IReadOnlyList<GridThw> Grids => Slices.Select(s => s.Grid).ToArray();
}
