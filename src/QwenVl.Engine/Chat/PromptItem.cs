namespace QwenVl.Engine.Chat;

/// <summary>
/// One content item of a chat turn: text, or the place of an image or a video. The pixels themselves travel
/// separately, in the same order as the items.
/// </summary>
public readonly record struct PromptItem(PromptItemKind Kind, string? Text)
{
    public static PromptItem Image { get; } = new(PromptItemKind.Image, null);

    public static PromptItem Video { get; } = new(PromptItemKind.Video, null);

    public static PromptItem FromText(string text) => new(PromptItemKind.Text, text ?? throw new ArgumentNullException(nameof(text)));
}
