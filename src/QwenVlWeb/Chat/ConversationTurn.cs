using Microsoft.Extensions.AI;
using QwenVlWeb.Markdown;

namespace QwenVlWeb.Chat;

/// <summary>One message of a conversation: the user's text and images, or an answer with its state and stats.</summary>
public sealed class ConversationTurn
{
    private ConversationTurn(ChatRole role, string text, IReadOnlyList<Attachment> images, StreamingMarkdown? markdown)
    {
        Role = role;
        Text = text;
        Images = images;
        Markdown = markdown;
    }

    public Guid Id { get; } = Guid.NewGuid();

    public ChatRole Role { get; }

    /// <summary>The user's text; for answers, see <see cref="Markdown"/>.</summary>
    public string Text { get; set; }

    public IReadOnlyList<Attachment> Images { get; }

    /// <summary>The answer's text and its rendering (answers only).</summary>
    public StreamingMarkdown? Markdown { get; }

    public AnswerState State { get; set; } = AnswerState.Queued;

    /// <summary>While queued: 1 means next.</summary>
    public int QueuePosition { get; set; }

    /// <summary>Text updates (tokens) received so far; the page exposes it for latency measurements.</summary>
    public int Tokens { get; set; }

    public string? Error { get; set; }

    public AnswerStats? Stats { get; set; }

    public ChatFinishReason? FinishReason { get; set; }

    public bool IsAnswer => Markdown is not null;

    public string AnswerText => Markdown?.Text ?? string.Empty;

    public static ConversationTurn User(string text, IReadOnlyList<Attachment> images) => new(ChatRole.User, text, images, null);

    public static ConversationTurn Answer(MarkdownRenderer renderer) => new(ChatRole.Assistant, string.Empty, [], new StreamingMarkdown(renderer));
}
