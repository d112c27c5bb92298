using QwenVlWeb.Chat;
using QwenVlWeb.Markdown;

namespace QwenVlWeb.Tests.Support;

internal static class Answers
{
    /// <summary>A finished answer with <paramref name="markdown"/> as its text.</summary>
    public static ConversationTurn Done(MarkdownRenderer renderer, string markdown)
    {
        var answer = ConversationTurn.Answer(renderer);
        answer.Markdown!.Append(markdown);
        answer.Markdown.Complete();
        answer.State = AnswerState.Done;
        return answer;
    }
}
