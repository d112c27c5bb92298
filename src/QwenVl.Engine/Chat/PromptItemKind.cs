namespace QwenVl.Engine.Chat;

/// <summary>What one item of a chat turn's content is.</summary>
public enum PromptItemKind
{
    Text,
    Image,
    Video,
}
