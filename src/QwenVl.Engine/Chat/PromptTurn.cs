namespace QwenVl.Engine.Chat;

/// <summary>One message of a conversation as the chat template sees it: a role and its content items in order.</summary>
public sealed record PromptTurn(string Role, IReadOnlyList<PromptItem> Items)
{
    public const string SystemRole = "system";
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";

    public static PromptTurn System(string text) => new(SystemRole, [PromptItem.FromText(text)]);

    public static PromptTurn User(params PromptItem[] items) => new(UserRole, items);

    public static PromptTurn Assistant(string text) => new(AssistantRole, [PromptItem.FromText(text)]);
}
