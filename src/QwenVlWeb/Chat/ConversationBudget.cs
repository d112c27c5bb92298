using Microsoft.Extensions.AI;
using QwenVl.Engine.Budget;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVlWeb.Chat;

/// <summary>
/// What the next message would cost, as the page shows it under the composer: the conversation so far, the waiting
/// attachments, the reply's max new tokens, their total against the model's budget, and whether it fits. Counted
/// exactly as the model will count it (the chat template, the tokenizer, each image's and video's vision tokens at the
/// current settings), from sizes and frame plans alone.
/// </summary>
public sealed record ConversationBudget(int HistoryTokens, int AttachmentTokens, int ReplyTokens, BudgetVerdict Verdict)
{
    public int TotalTokens => HistoryTokens + AttachmentTokens + ReplyTokens;

    public int MaxTokens => Verdict.MaxContextTokens;

    /// <summary>The cost of sending <paramref name="draft"/> with <paramref name="pending"/> after <paramref name="conversation"/>; null when an attachment cannot be sent at all (its own problem says why).</summary>
    public static ConversationBudget? Compute(Conversation conversation, IReadOnlyList<Attachment> pending, string draft, ChatSettings settings,
        QwenVlChatClient client, RequestBudget budget)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(budget);
        var messages = conversation.ToChatMessages(settings);
        var attachments = conversation.Turns.Where(t => !t.IsAnswer).SelectMany(t => t.Images).ToList();
        var pendingCosts = pending.Select(settings.Cost).ToArray();
        if (pendingCosts.Any(c => c.Problem is not null))
        {
            return null;
        }

        var contents = new List<AIContent>(pending.Select(a => new DataContent(a.Media.Data, a.Media.MediaType) { Name = a.Name }));
        if (draft.Trim().Length > 0)
        {
            contents.Add(new TextContent(draft.Trim()));
        }

        messages.Add(new ChatMessage(ChatRole.User, contents));
        attachments.AddRange(pending);

        // The chat client lists images first, then videos, each in message order.
        try
        {
            var images = attachments.Where(a => a.Media.Video is null).Select(a => new ImageSize(a.Width, a.Height)).ToArray();
            var videos = attachments.Where(a => a.Media.Video is not null).Select(a => VideoLoader.PlanFor(a.Media.Video!, settings.VideoSampling, a.Name)).ToArray();
            var shape = client.Shape(messages, settings.ToChatOptions(), images, videos);
            var attachmentTokens = pendingCosts.Sum(c => c.Tokens);
            return new ConversationBudget(shape.PromptTokens - attachmentTokens, attachmentTokens, shape.MaxNewTokens, budget.Check(shape));
        }
        catch (Exception ex) when (ex is ImageInputException or VideoInputException)
        {
            return null; // An earlier attachment no longer fits the settings; sending says so in words.
        }
    }
}
