namespace QwenVl.Engine.Generation;

/// <summary>What one request cost.</summary>
public sealed record GenerationMetrics
{
    public required int PromptTokens { get; init; }
    public required int VisionTokens { get; init; }
    public required int OutputTokens { get; init; }
    public required double VisionEncodeMilliseconds { get; init; }
    public required double PrefillMilliseconds { get; init; }

    /// <summary>From the start of generation (vision encoding and prefill included; image preprocessing happens before, in Prepare) to the first token.</summary>
    public required double TimeToFirstTokenMilliseconds { get; init; }

    /// <summary>Tokens after the first, per second of decoding; 0 when fewer than two were generated.</summary>
    public required double DecodeTokensPerSecond { get; init; }

    /// <summary>
    /// Per decode step, the time spent outside the runtime's run calls (sampling, detokenizing, preparing inputs,
    /// reading logits); 0 when fewer than two tokens were generated.
    /// </summary>
    public required double HostMillisecondsPerToken { get; init; }
}
