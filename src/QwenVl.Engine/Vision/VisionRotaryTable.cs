namespace QwenVl.Engine.Vision;

/// <summary>
/// The vision tower's 2-D rotary table <c>rotary_pos_emb</c> [patches, head_dim/2] in natural patch order: each
/// row is [hpos·inv_freq, wpos·inv_freq] with inv_freq[j] = 1/θ^(2j/(head_dim/2)), θ = 10000, computed in float32
/// like <c>Qwen2_5_VisionRotaryEmbedding</c>. Patches run (t, bh, bw, mh, mw) as in <see cref="PatchFlattener"/>.
/// </summary>
public static class VisionRotaryTable
{
    public const double Theta = 10000.0;

    /// <summary>Columns of the table for a vision head size (80 → 40).</summary>
    public static int Columns(int visionHeadDim) => visionHeadDim / 2;

    public static float[] InverseFrequencies(int visionHeadDim)
    {
        var dim = Columns(visionHeadDim);
        var inv = new float[dim / 2];
        for (var j = 0; j < inv.Length; j++)
        {
            // torch: 1.0 / (theta ** (arange(0, dim, 2, float32) / dim)), all in float32.
            var exponent = (float)(2 * j) / dim;
            inv[j] = 1.0f / (float)Math.Pow(Theta, exponent);
        }

        return inv;
    }

    /// <summary>Builds the table for <paramref name="grids"/> (images or videos, in order).</summary>
    public static float[] Build(IReadOnlyList<GridThw> grids, int visionHeadDim, int spatialMergeSize)
    {
        ArgumentNullException.ThrowIfNull(grids);
        var inv = InverseFrequencies(visionHeadDim);
        var half = inv.Length;
        var columns = 2 * half;
        var rows = grids.Sum(g => (long)g.PatchCount);
        var table = GC.AllocateUninitializedArray<float>(checked((int)(rows * columns)));
        var o = 0;
        var m = spatialMergeSize;
        foreach (var g in grids)
        {
            for (var t = 0; t < g.T; t++)
            {
                for (var bh = 0; bh < g.H / m; bh++)
                {
                    for (var bw = 0; bw < g.W / m; bw++)
                    {
                        for (var mh = 0; mh < m; mh++)
                        {
                            for (var mw = 0; mw < m; mw++)
                            {
                                float hpos = (bh * m) + mh;
                                float wpos = (bw * m) + mw;
                                for (var j = 0; j < half; j++)
                                {
                                    table[o + j] = hpos * inv[j];
                                    table[o + half + j] = wpos * inv[j];
                                }

                                o += columns;
                            }
                        }
                    }
                }
            }
        }

        return table;
    }
}
