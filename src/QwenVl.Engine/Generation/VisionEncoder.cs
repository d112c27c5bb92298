using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Generation;

/// <summary>
/// The vision tower (patch embedding, then the merger graph) run call by call: images and videos are cut into
/// <see cref="VisionCallPlan"/> calls of whole frames, and each call gets its own rotary table, window index and
/// masks, so nothing larger than one call is ever built. Images and videos are encoded separately, as in HF
/// (<c>get_image_features</c>, <c>get_video_features</c>).
/// </summary>
internal sealed class VisionEncoder(IGraphSession embeddings, IGraphSession merger, VisionConfig config)
{
    /// <summary>
    /// The merged features ([tokens, hidden] each) of every call, in prompt order. <paramref name="pixelValues"/>
    /// holds each item's rows ([t·h·w, patchDim]) for <paramref name="grids"/>.
    /// </summary>
    public List<float[]> Encode(IReadOnlyList<GridThw> grids, IReadOnlyList<float[]> pixelValues, int maxPatchesPerCall, CancellationToken cancellationToken)
    {
        var features = new List<float[]>();
        foreach (var call in VisionCallPlan.Plan(grids, maxPatchesPerCall))
        {
            cancellationToken.ThrowIfCancellationRequested();
            features.Add(Run(call, pixelValues));
        }

        return features;
    }

    private float[] Run(VisionCall call, IReadOnlyList<float[]> pixelValues)
    {
        var inputs = VisionEncoderInputs.Create(call.Grids, config);
        var n = inputs.PatchCount;
        var pixels = Gather(call, pixelValues, n);
        var patches = embeddings.Run([TensorData.OfFloats("hidden_states", pixels, n, pixels.Length / n)])[0];
        var width = patches.Shape[^1];
        return merger.Run(
        [
            TensorData.OfFloats("hidden_states", patches.Floats!, n, width),
            TensorData.OfFloats("attention_mask", VisionAttentionMask.Create(inputs.FrameBoundaries), 1, n, n),
            TensorData.OfFloats("window_attention_mask", VisionAttentionMask.Create(inputs.Windows.CuWindowSeqlens), 1, n, n),
            TensorData.OfLongs("window_index", inputs.Windows.WindowIndex, inputs.Windows.WindowIndex.Length),
            TensorData.OfFloats("rotary_pos_emb", inputs.RotaryPosEmb, n, inputs.RotaryColumns),
        ])[0].Floats!;
    }

    /// <summary>The call's rows of pixel values; a call that is one whole item uses the item's array as it is.</summary>
    private static float[] Gather(VisionCall call, IReadOnlyList<float[]> pixelValues, int patches)
    {
        var first = call.Slices[0];
        var source = pixelValues[first.Item];
        var patchDim = source.Length / first.ItemGrid.PatchCount;
        if (call.Slices.Count == 1 && first.PatchCount == first.ItemGrid.PatchCount)
        {
            return source;
        }

        var rows = GC.AllocateUninitializedArray<float>(checked(patches * patchDim));
        var offset = 0;
        foreach (var slice in call.Slices)
        {
            var length = slice.PatchCount * patchDim;
            Array.Copy(pixelValues[slice.Item], (long)slice.FirstPatch * patchDim, rows, offset, length);
            offset += length;
        }

        return rows;
    }
}
