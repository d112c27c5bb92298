using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace QwenVlWeb.Tests.Support;

/// <summary>Passes requests to the real model, except prompts naming a <see cref="ScriptedAnswers"/> entry, streamed in small pieces.</summary>
internal sealed class ScriptedAnswersClient(IChatClient inner, ScriptedAnswers answers) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        if (prompt.StartsWith(ScriptedAnswers.Prefix, StringComparison.Ordinal) && answers.Answers.TryGetValue(prompt[ScriptedAnswers.Prefix.Length..].Trim().Split(' ')[0], out var answer))
        {
            for (var i = 0; i < answer.Length; i += 4)
            {
                await Task.Delay(2, cancellationToken);
                yield return new ChatResponseUpdate(ChatRole.Assistant, answer.Substring(i, Math.Min(4, answer.Length - i)));
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { OutputTokenCount = answer.Length / 4 })]) { FinishReason = ChatFinishReason.Stop };
            yield break;
        }

        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }
}
