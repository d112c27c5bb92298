using QwenVl.Engine.Vision;

namespace QwenVlWeb.Chat;

/// <summary>What an image costs at a budget (the engine's smart_resize): its resized size and vision tokens, or why it cannot be used.</summary>
public sealed record ImageCost(ImageSize? Resized, int Tokens, string? Problem);
