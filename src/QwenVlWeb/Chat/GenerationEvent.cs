using Microsoft.Extensions.AI;

namespace QwenVlWeb.Chat;

/// <summary>What happens to one queued request, in order: Queued*, Started, Text*, then one of Completed, Failed, Cancelled.</summary>
public abstract record GenerationEvent
{
    /// <summary>Waiting; <paramref name="Position"/> 1 means next.</summary>
    public sealed record Queued(int Position) : GenerationEvent;

    /// <summary>The model is working on this request.</summary>
    public sealed record Started : GenerationEvent;

    /// <summary>More answer text; <paramref name="Tokens"/> counts the text updates (tokens) so far.</summary>
    public sealed record Text(string Delta, int Tokens) : GenerationEvent;

    public sealed record Completed(AnswerStats Stats, ChatFinishReason? FinishReason) : GenerationEvent;

    /// <summary>The request failed; <paramref name="Message"/> is for the user (no stack traces).</summary>
    public sealed record Failed(string Message) : GenerationEvent;

    /// <summary>Stopped by its owner (Stop, a closed tab), queued or running.</summary>
    public sealed record Cancelled : GenerationEvent;
}
