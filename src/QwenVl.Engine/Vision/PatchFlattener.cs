namespace QwenVl.Engine.Vision;

/// <summary>
/// Normalises frames and lays them out as HF's Qwen2-VL processor does: the view
/// [t, tp, c, h/m, m, p, w/m, m, p] permuted to (0,3,6,4,7,2,1,5,8) and flattened to [t·h·w, c·tp·p·p].
/// Row r is (t, bh, bw, mh, mw) with r = ((t·h/m + bh)·w/m + bw)·m² + mh·m + mw, so each m×m group of patches
/// that becomes one language-model token is contiguous; column k is ((c·tp + j)·p + py)·p + px.
/// </summary>
public static class PatchFlattener
{
    /// <summary>
    /// Builds a per-channel lookup from a byte to its normalised value, with the slow HF processor's rounding:
    /// rescale in double then to float32, subtract and divide in float32.
    /// </summary>
    public static float[] NormalizationTable(IReadOnlyList<float> mean, IReadOnlyList<float> std, double rescaleFactor)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        var table = new float[3 * 256];
        for (var c = 0; c < 3; c++)
        {
            for (var u = 0; u < 256; u++)
            {
                var x = (float)(u * rescaleFactor);
                table[(c * 256) + u] = (x - mean[c]) / std[c];
            }
        }

        return table;
    }

    /// <summary>
    /// Flattens <paramref name="frames"/> (all the same size, a multiple of patch·merge; count a multiple of
    /// <paramref name="temporalPatchSize"/>) into <paramref name="destination"/>, which must hold
    /// frames/tp · (H/p) · (W/p) rows of 3·tp·p·p floats.
    /// </summary>
    public static unsafe void Flatten(IReadOnlyList<RgbImage> frames, int patchSize, int mergeSize, int temporalPatchSize,
        ReadOnlySpan<float> normalization, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0 || frames.Count % temporalPatchSize != 0)
        {
            throw new ArgumentException($"Need a positive multiple of {temporalPatchSize} frames, got {frames.Count}.", nameof(frames));
        }

        if (normalization.Length != 3 * 256)
        {
            throw new ArgumentException("The normalisation table must have 3×256 entries.", nameof(normalization));
        }

        var width = frames[0].Width;
        var height = frames[0].Height;
        var factor = patchSize * mergeSize;
        if (width % factor != 0 || height % factor != 0)
        {
            throw new ArgumentException($"Frames must be multiples of {factor} pixels, got {width}×{height}.", nameof(frames));
        }

        foreach (var f in frames)
        {
            if (f.Width != width || f.Height != height)
            {
                throw new ArgumentException("All frames must have the same size.", nameof(frames));
            }
        }

        var gridT = frames.Count / temporalPatchSize;
        var gridH = height / patchSize;
        var gridW = width / patchSize;
        var patchDim = 3 * temporalPatchSize * patchSize * patchSize;
        var rows = (long)gridT * gridH * gridW;
        if (destination.Length != rows * patchDim)
        {
            throw new ArgumentException($"Destination must hold {rows * patchDim} floats, has {destination.Length}.", nameof(destination));
        }

        var stride = width * 3;
        fixed (float* lut = normalization)
        fixed (float* dstBase = destination)
        {
            var row = dstBase;
            for (var t = 0; t < gridT; t++)
            {
                for (var bh = 0; bh < gridH / mergeSize; bh++)
                {
                    for (var bw = 0; bw < gridW / mergeSize; bw++)
                    {
                        for (var mh = 0; mh < mergeSize; mh++)
                        {
                            for (var mw = 0; mw < mergeSize; mw++, row += patchDim)
                            {
                                var y0 = ((bh * mergeSize) + mh) * patchSize;
                                var x0 = ((bw * mergeSize) + mw) * patchSize;
                                for (var tp = 0; tp < temporalPatchSize; tp++)
                                {
                                    var frame = frames[(t * temporalPatchSize) + tp];
                                    if (tp > 0 && ReferenceEquals(frame, frames[t * temporalPatchSize]))
                                    {
                                        // An image is its own second frame: copy the first slot's values instead of recomputing.
                                        for (var c = 0; c < 3; c++)
                                        {
                                            var from = row + (c * temporalPatchSize * patchSize * patchSize);
                                            new ReadOnlySpan<float>(from, patchSize * patchSize).CopyTo(new Span<float>(from + (tp * patchSize * patchSize), patchSize * patchSize));
                                        }

                                        continue;
                                    }

                                    fixed (byte* pixels = frame.Buffer)
                                    {
                                        for (var c = 0; c < 3; c++)
                                        {
                                            var table = lut + (c * 256);
                                            var dst = row + (((c * temporalPatchSize) + tp) * patchSize * patchSize);
                                            for (var py = 0; py < patchSize; py++, dst += patchSize)
                                            {
                                                var src = pixels + ((long)(y0 + py) * stride) + (x0 * 3) + c;
                                                for (var px = 0; px < patchSize; px++, src += 3)
                                                {
                                                    dst[px] = table[*src];
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
