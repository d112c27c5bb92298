using System.Collections.Concurrent;

namespace QwenVlWeb.Tests.Support;

/// <summary>
/// Fixed answers for prompts that start with <see cref="Prefix"/> and the answer's key as the next word: the demo model's random weights cannot be made to
/// write a given text, and the page's handling of hostile model output must be seen in a browser.
/// </summary>
public sealed class ScriptedAnswers
{
    public const string Prefix = "SCRIPTED:";

    public ConcurrentDictionary<string, string> Answers { get; } = new(StringComparer.Ordinal);
}
