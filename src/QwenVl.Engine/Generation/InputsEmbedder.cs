using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime;

namespace QwenVl.Engine.Generation;

/// <summary>
/// The language model's input rows: the text embedding graph for the ids, then each <c>&lt;|image_pad|&gt;</c> and
/// <c>&lt;|video_pad|&gt;</c> row overwritten, in order, by the next vision feature row (HF's masked_scatter). It works
/// on one prefill chunk at a time, so the prompt's embeddings never exist whole.
/// </summary>
internal sealed class InputsEmbedder(IGraphSession textEmbeddings, int hidden, SpecialTokenIds tokens)
{
    public int Hidden => hidden;

    /// <summary>Embeddings of <paramref name="ids"/> ([ids, hidden]), with no vision rows.</summary>
    public float[] Embed(ReadOnlySpan<int> ids)
    {
        var longs = new long[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            longs[i] = ids[i];
        }

        return textEmbeddings.Run([TensorData.OfLongs("input", longs, 1, ids.Length)])[0].Floats!;
    }

    /// <summary>Embeddings of <paramref name="ids"/> with their vision pads taken from the cursors.</summary>
    public float[] Embed(ReadOnlySpan<int> ids, VisionFeatureCursor images, VisionFeatureCursor videos)
    {
        var embeds = Embed(ids);
        for (var i = 0; i < ids.Length; i++)
        {
            var cursor = ids[i] == tokens.ImageTokenId ? images : ids[i] == tokens.VideoTokenId ? videos : null;
            cursor?.CopyNext(embeds.AsSpan(i * hidden, hidden));
        }

        return embeds;
    }
}
