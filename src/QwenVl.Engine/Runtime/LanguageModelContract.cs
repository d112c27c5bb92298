namespace QwenVl.Engine.Runtime;

/// <summary>What every language-model session checks and builds the same way, whatever the runtime.</summary>
internal static class LanguageModelContract
{
    /// <summary>Inputs every Qwen2.5-VL language model export has (besides its KV cache inputs).</summary>
    public static readonly string[] RequiredInputs = ["attention_mask", "position_ids", "inputs_embeds"];

    /// <summary>
    /// The optional input that makes the lm_head run on the last K positions only (optimum's and transformers.js'
    /// ONNX exports; HF's <c>logits_to_keep</c>). The optimum-intel IR has none and returns [1, S, vocab].
    /// </summary>
    public const string LogitsToKeepInput = "num_logits_to_keep";

    /// <summary>Throws unless the graph has <see cref="RequiredInputs"/>.</summary>
    public static void CheckInputs(IEnumerable<string> inputs, string graphName)
    {
        var names = inputs.ToHashSet(StringComparer.Ordinal);
        foreach (var required in RequiredInputs)
        {
            if (!names.Contains(required))
            {
                throw new InferenceException($"{graphName} has no input '{required}'; it is not a Qwen2.5-VL language model export.");
            }
        }
    }

    /// <summary>Throws unless a Forward call's buffers have the sizes its sequence length implies.</summary>
    public static void CheckForward(int embeds, int sequenceLength, int positions, int logits, int hidden, int vocabulary)
    {
        if (embeds != sequenceLength * hidden || positions != 3 * sequenceLength || logits != vocabulary)
        {
            throw new ArgumentException($"Forward needs [{sequenceLength}, {hidden}] embeddings, [3, {sequenceLength}] positions and a {vocabulary}-float logits row.");
        }
    }

    /// <summary>The attention mask of an unpadded sequence: <paramref name="total"/> ones.</summary>
    public static long[] UnpaddedMask(int total)
    {
        var mask = new long[total];
        Array.Fill(mask, 1L);
        return mask;
    }
}
