using QwenVl.Engine.Vision;

namespace QwenVlWeb.Chat;

/// <summary>
/// What an image or video costs at the current settings (the engine's smart_resize and, for videos, qwen_vl_utils'
/// frame choice): the size the model sees, its vision tokens and frames, or why it cannot be used.
/// </summary>
public sealed record AttachmentCost(ImageSize? Resized, int Tokens, string? Problem, int Frames = 0);
