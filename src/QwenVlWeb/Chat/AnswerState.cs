namespace QwenVlWeb.Chat;

/// <summary>Where an answer is.</summary>
public enum AnswerState
{
    Queued,
    Streaming,
    Done,

    /// <summary>Stopped by the user; the text so far stays.</summary>
    Stopped,
    Failed,
}
