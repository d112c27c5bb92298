namespace QwenVlWeb.Chat;

/// <summary>What one answer cost, shown under it.</summary>
/// <param name="VisionTokens">Vision tokens the images became.</param>
/// <param name="OutputTokens">Tokens generated.</param>
/// <param name="TimeToFirstTokenMilliseconds">From leaving the queue (image decoding included) to the first text.</param>
/// <param name="TokensPerSecond">Decode speed after the first token, as the engine measured it.</param>
public sealed record AnswerStats(long VisionTokens, long OutputTokens, double TimeToFirstTokenMilliseconds, double TokensPerSecond);
