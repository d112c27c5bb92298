using System.Text;

namespace QwenVl.Engine.Chat;

/// <summary>
/// The Qwen2-VL / Qwen2.5-VL chat template (chat_template.json), rendered natively rather than through a Jinja
/// engine. Output is byte-for-byte what the Jinja template renders: a default system turn when the first message is
/// not a system message, content items in their given order with no separators, and the generation prompt.
/// </summary>
public static class QwenChatTemplate
{
    public const string DefaultSystemPrompt = "You are a helpful assistant.";
    public const string ImagePlaceholder = "<|vision_start|><|image_pad|><|vision_end|>";
    public const string VideoPlaceholder = "<|vision_start|><|video_pad|><|vision_end|>";

    /// <summary>Renders a conversation.</summary>
    /// <param name="turns">The messages, oldest first.</param>
    /// <param name="addGenerationPrompt">Append <c>&lt;|im_start|&gt;assistant\n</c> so the model answers next.</param>
    /// <param name="addVisionId">Prefix each image/video with "Picture n: " / "Video n: " (the template's add_vision_id).</param>
    public static string Render(IReadOnlyList<PromptTurn> turns, bool addGenerationPrompt = true, bool addVisionId = false)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var sb = new StringBuilder();
        var images = 0;
        var videos = 0;
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            if (i == 0 && turn.Role != PromptTurn.SystemRole)
            {
                sb.Append("<|im_start|>system\n").Append(DefaultSystemPrompt).Append("<|im_end|>\n");
            }

            sb.Append("<|im_start|>").Append(turn.Role).Append('\n');
            foreach (var item in turn.Items)
            {
                switch (item.Kind)
                {
                    case PromptItemKind.Image:
                        images++;
                        if (addVisionId)
                        {
                            sb.Append("Picture ").Append(images).Append(": ");
                        }

                        sb.Append(ImagePlaceholder);
                        break;
                    case PromptItemKind.Video:
                        videos++;
                        if (addVisionId)
                        {
                            sb.Append("Video ").Append(videos).Append(": ");
                        }

                        sb.Append(VideoPlaceholder);
                        break;
                    default:
                        sb.Append(item.Text);
                        break;
                }
            }

            sb.Append("<|im_end|>\n");
        }

        if (addGenerationPrompt)
        {
            sb.Append("<|im_start|>assistant\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// True when <paramref name="jinjaTemplate"/> is recognisably the Qwen2-VL family template that
    /// <see cref="Render"/> reproduces (the model folder may ship another one).
    /// </summary>
    public static bool IsQwenVlTemplate(string jinjaTemplate) =>
        jinjaTemplate.Contains("<|im_start|>", StringComparison.Ordinal)
        && jinjaTemplate.Contains(ImagePlaceholder, StringComparison.Ordinal)
        && jinjaTemplate.Contains(VideoPlaceholder, StringComparison.Ordinal);
}
