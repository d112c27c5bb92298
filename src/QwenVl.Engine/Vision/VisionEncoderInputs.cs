using QwenVl.Engine.Model;

namespace QwenVl.Engine.Vision;

/// <summary>
/// Everything the merger graph needs besides the patch embeddings, for one modality (all images, or all videos):
/// the rotary table in natural order, the window partition, and the per-frame boundaries of the full-attention
/// mask. The N×N masks themselves are built on demand by <see cref="VisionAttentionMask"/>, because of their size.
/// </summary>
public sealed class VisionEncoderInputs
{
    private VisionEncoderInputs(IReadOnlyList<GridThw> grids, int patchCount, float[] rotaryPosEmb, int rotaryColumns, WindowPartition windows, int[] frameBoundaries)
    {
        Grids = grids;
        PatchCount = patchCount;
        RotaryPosEmb = rotaryPosEmb;
        RotaryColumns = rotaryColumns;
        Windows = windows;
        FrameBoundaries = frameBoundaries;
    }

    public IReadOnlyList<GridThw> Grids { get; }

    /// <summary>N, the rows of pixel_values.</summary>
    public int PatchCount { get; }

    /// <summary><c>rotary_pos_emb</c> float32 [N, <see cref="RotaryColumns"/>].</summary>
    public float[] RotaryPosEmb { get; }

    public int RotaryColumns { get; }

    /// <summary><c>window_index</c> and <c>cu_window_seqlens</c>.</summary>
    public WindowPartition Windows { get; }

    /// <summary><c>cu_seqlens</c>: one block per frame.</summary>
    public int[] FrameBoundaries { get; }

    public static VisionEncoderInputs Create(IReadOnlyList<GridThw> grids, VisionConfig vision)
    {
        ArgumentNullException.ThrowIfNull(grids);
        ArgumentNullException.ThrowIfNull(vision);
        var patches = checked(grids.Sum(g => g.PatchCount));
        return new VisionEncoderInputs(
            grids.ToArray(),
            patches,
            VisionRotaryTable.Build(grids, vision.HeadDim, vision.SpatialMergeSize),
            VisionRotaryTable.Columns(vision.HeadDim),
            WindowIndex.Compute(grids, vision.WindowSize, vision.SpatialMergeSize, vision.PatchSize),
            VisionAttentionMask.FrameBoundaries(grids));
    }
}
