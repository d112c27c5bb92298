using Microsoft.Extensions.AI;

namespace QwenVlWeb.Chat;

/// <summary>
/// A browser tab's conversation. Kept apart from the page so that the roadmap's saved history can store it as is.
/// </summary>
public sealed class Conversation
{
    private readonly List<ConversationTurn> _turns = [];

    public IReadOnlyList<ConversationTurn> Turns => _turns;

    public void Add(ConversationTurn turn) => _turns.Add(turn ?? throw new ArgumentNullException(nameof(turn)));

    /// <summary>Drops every turn after <paramref name="turn"/> (edit-and-resend, regenerate).</summary>
    public void TruncateAfter(ConversationTurn turn)
    {
        var index = _turns.IndexOf(turn);
        if (index < 0)
        {
            throw new ArgumentException("The turn is not in this conversation.", nameof(turn));
        }

        _turns.RemoveRange(index + 1, _turns.Count - index - 1);
    }

    public void Clear() => _turns.Clear();

    /// <summary>
    /// The conversation as the model gets it: the system prompt (when set), then every user turn with its images and
    /// every answer that has text. Failed or empty answers are left out. Records each image's resized size.
    /// </summary>
    public List<ChatMessage> ToChatMessages(ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(settings.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, settings.SystemPrompt));
        }

        foreach (var turn in _turns)
        {
            if (turn.IsAnswer)
            {
                if (turn.AnswerText.Length > 0)
                {
                    messages.Add(new ChatMessage(ChatRole.Assistant, turn.AnswerText));
                }

                continue;
            }

            var contents = new List<AIContent>();
            foreach (var attachment in turn.Images)
            {
                attachment.SentSize ??= settings.Cost(attachment).Resized;
                contents.Add(new DataContent(attachment.Media.Data, attachment.Media.MediaType) { Name = attachment.Name });
            }

            if (turn.Text.Length > 0)
            {
                contents.Add(new TextContent(turn.Text));
            }

            messages.Add(new ChatMessage(ChatRole.User, contents));
        }

        return messages;
    }
}
