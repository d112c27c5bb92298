namespace QwenVl.Engine.Vision;

/// <summary>
/// <c>get_window_index</c> of Qwen2.5-VL's vision tower. Each grid's merged-token plane is cut into windows of
/// window_size / merge / patch = 4×4 merged tokens (the last row and column of windows may be partial), frame by
/// frame; indices are emitted window by window, row-major inside a window, offset by the tokens of earlier grids.
/// </summary>
public static class WindowIndex
{
    public static WindowPartition Compute(IReadOnlyList<GridThw> grids, int windowSize, int spatialMergeSize, int patchSize)
    {
        ArgumentNullException.ThrowIfNull(grids);
        var ws = windowSize / spatialMergeSize / patchSize;
        if (ws <= 0)
        {
            throw new ArgumentException($"window_size {windowSize} is smaller than one merged token ({spatialMergeSize * patchSize} px).", nameof(windowSize));
        }

        var unit = spatialMergeSize * spatialMergeSize;
        var totalTokens = grids.Sum(g => (long)g.PatchCount / unit);
        var index = new long[totalTokens];
        var cu = new List<int>(capacity: 1 + grids.Sum(g => g.T * CeilDiv(g.H / spatialMergeSize, ws) * CeilDiv(g.W / spatialMergeSize, ws))) { 0 };
        var o = 0;
        long offset = 0;
        foreach (var g in grids)
        {
            var lh = g.H / spatialMergeSize;
            var lw = g.W / spatialMergeSize;
            var windowsH = CeilDiv(lh, ws);
            var windowsW = CeilDiv(lw, ws);
            for (var t = 0; t < g.T; t++)
            {
                for (var wy = 0; wy < windowsH; wy++)
                {
                    for (var wx = 0; wx < windowsW; wx++)
                    {
                        var count = 0;
                        for (var y = wy * ws; y < Math.Min((wy + 1) * ws, lh); y++)
                        {
                            for (var x = wx * ws; x < Math.Min((wx + 1) * ws, lw); x++)
                            {
                                index[o++] = offset + ((long)t * lh * lw) + ((long)y * lw) + x;
                                count++;
                            }
                        }

                        var next = cu[^1] + (count * unit);
                        if (next != cu[^1])
                        {
                            cu.Add(next);
                        }
                    }
                }
            }

            offset += (long)g.T * lh * lw;
        }

        return new WindowPartition(index, [.. cu]);
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
