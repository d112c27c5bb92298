namespace QwenVl.Engine.Vision;

/// <summary>
/// The block-diagonal additive masks the exported merger graph takes ([1, N, N] float32; 0 inside a block,
/// −∞ elsewhere): <c>attention_mask</c> over <see cref="FrameBoundaries"/> for the full-attention blocks, and
/// <c>window_attention_mask</c> over <see cref="WindowPartition.CuWindowSeqlens"/> for the others.
/// Each costs 4·N² bytes (N = 4988 patches, a 1204×812 image: 99.5 MB), so they are written once, straight into
/// their final buffer, with no intermediate copies.
/// </summary>
public static class VisionAttentionMask
{
    /// <summary><c>cu_seqlens</c>: one block per frame (temporal patch) of every grid: [0, h·w, 2·h·w, …].</summary>
    public static int[] FrameBoundaries(IReadOnlyList<GridThw> grids)
    {
        ArgumentNullException.ThrowIfNull(grids);
        var cu = new int[1 + grids.Sum(g => g.T)];
        var i = 1;
        foreach (var g in grids)
        {
            for (var t = 0; t < g.T; t++, i++)
            {
                cu[i] = checked(cu[i - 1] + (g.H * g.W));
            }
        }

        return cu;
    }

    /// <summary>Bytes one mask of <paramref name="patches"/>² floats takes.</summary>
    public static long SizeInBytes(int patches) => 4L * patches * patches;

    /// <summary>Allocates and fills an N×N mask (N = last boundary).</summary>
    /// <exception cref="ImageInputException">N² exceeds what one .NET array can hold: the images are too large for one request.</exception>
    public static float[] Create(ReadOnlySpan<int> boundaries)
    {
        var n = boundaries[^1];
        var elements = (long)n * n;
        if (elements > Array.MaxLength)
        {
            throw new ImageInputException($"The images need a {n}×{n} attention mask ({SizeInBytes(n) / (1024 * 1024):N0} MiB), which is too large; lower the image pixel budget (the notebook's 256…1280 tokens per image fits).");
        }

        var mask = GC.AllocateUninitializedArray<float>((int)elements);
        Fill(mask, boundaries);
        return mask;
    }

    /// <summary>Writes the mask for <paramref name="boundaries"/> into <paramref name="destination"/> (N×N, row-major); every element is written once.</summary>
    public static void Fill(Span<float> destination, ReadOnlySpan<int> boundaries)
    {
        if (boundaries.Length < 1 || boundaries[0] != 0)
        {
            throw new ArgumentException("Boundaries must start at 0.", nameof(boundaries));
        }

        var n = boundaries[^1];
        if (destination.Length != (long)n * n)
        {
            throw new ArgumentException($"Destination must hold {(long)n * n} floats, has {destination.Length}.", nameof(destination));
        }

        for (var b = 1; b < boundaries.Length; b++)
        {
            int start = boundaries[b - 1], end = boundaries[b];
            if (end < start)
            {
                throw new ArgumentException("Boundaries must not decrease.", nameof(boundaries));
            }

            for (var r = start; r < end; r++)
            {
                var row = destination.Slice(r * n, n);
                row[..start].Fill(float.NegativeInfinity);
                row[start..end].Clear();
                row[end..].Fill(float.NegativeInfinity);
            }
        }
    }
}
