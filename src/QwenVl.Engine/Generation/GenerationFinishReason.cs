namespace QwenVl.Engine.Generation;

/// <summary>Why a generation ended.</summary>
public enum GenerationFinishReason
{
    /// <summary>An end-of-sequence id from generation_config.json was produced.</summary>
    EndOfSequence,

    /// <summary>max_new_tokens was reached.</summary>
    Length,
}
