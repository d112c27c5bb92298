namespace QwenVl.Engine.Runtime;

/// <summary>
/// The language model with its KV cache, however the backend keeps it (explicit tensors for ONNX, internal state in
/// OpenVINO's stateful export). Each <see cref="Forward"/> appends tokens to the cache and yields the logits of the
/// last one only.
/// </summary>
public interface ILanguageModelSession : IDisposable
{
    /// <summary>Tokens already in the cache.</summary>
    int PastLength { get; }

    /// <summary>Total time spent inside the runtime's run calls so far (to tell host overhead from model compute).</summary>
    TimeSpan RunTime { get; }

    /// <summary>Vocabulary size (length of a logits row).</summary>
    int VocabularySize { get; }

    /// <summary>
    /// True when the graph computes only the last position's logits (it has <c>num_logits_to_keep</c>); otherwise a
    /// prefill step of S tokens costs S × vocab floats of output, which bounds the useful chunk size.
    /// </summary>
    bool ComputesLastLogitsOnly { get; }

    /// <summary>Empties the cache for a new sequence.</summary>
    void Reset();

    /// <summary>
    /// Runs <paramref name="sequenceLength"/> new tokens given as embeddings ([S, hidden], row-major) at
    /// <paramref name="positionIds"/> ([3, S]: temporal, height, width rows), and writes the last token's logits into
    /// <paramref name="lastLogits"/>.
    /// </summary>
    void Forward(ReadOnlySpan<float> inputsEmbeds, int sequenceLength, ReadOnlySpan<long> positionIds, Span<float> lastLogits);
}
