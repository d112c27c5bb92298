namespace QwenVl.Engine.Generation;

/// <summary>
/// One step of a streamed answer: the text it completes (possibly empty while a character is split across tokens)
/// and the token. The last update has <see cref="FinishReason"/> and <see cref="Metrics"/> set and no token.
/// </summary>
public sealed record GenerationUpdate(string Text, int? TokenId)
{
    public GenerationFinishReason? FinishReason { get; init; }

    public GenerationMetrics? Metrics { get; init; }

    /// <summary>All generated ids, on the last update.</summary>
    public IReadOnlyList<int>? TokenIds { get; init; }
}
