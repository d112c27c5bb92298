using Microsoft.Extensions.AI;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVlWeb.Chat;

/// <summary>
/// A browser's settings, kept in its localStorage. What comes back from the browser is untrusted, so
/// <see cref="Normalized"/> clamps every value before use.
/// </summary>
public sealed record ChatSettings
{
    public const int MaxAnswerTokens = 8192;
    public const int MaxSystemPromptLength = 4000;

    /// <summary>Empty: the model's own default system prompt ("You are a helpful assistant.").</summary>
    public string SystemPrompt { get; init; } = string.Empty;

    public int MaxNewTokens { get; init; } = QwenVlChatClient.DefaultMaxOutputTokens;

    /// <summary>True: the model's generation_config.json decides (Qwen2.5-VL: greedy, repetition penalty 1.05), as in the notebook.</summary>
    public bool UseModelSampling { get; init; } = true;

    /// <summary>0 means greedy.</summary>
    public double Temperature { get; init; } = 0.7;

    public double TopP { get; init; } = 0.9;

    /// <summary>0 means off.</summary>
    public int TopK { get; init; } = 50;

    public double RepetitionPenalty { get; init; } = 1.05;

    /// <summary>The image budget in vision tokens (28×28 pixels each): the notebook's 256…1280 by default.</summary>
    public int MinImageTokens { get; init; } = 256;

    public int MaxImageTokens { get; init; } = 1280;

    /// <summary>Frames sampled per second of video: qwen_vl_utils' 2.0 by default.</summary>
    public double VideoFps { get; init; } = 2.0;

    /// <summary>Null follows the system's theme.</summary>
    public bool? DarkMode { get; init; }

    public PixelBudget ImageBudget => PixelBudget.FromTokens(MinImageTokens, MaxImageTokens);

    public ChatSettings Normalized()
    {
        var min = Math.Clamp(MinImageTokens, 4, 16384);
        return this with
        {
            SystemPrompt = (SystemPrompt ?? string.Empty).Length > MaxSystemPromptLength ? SystemPrompt![..MaxSystemPromptLength] : SystemPrompt ?? string.Empty,
            MaxNewTokens = Math.Clamp(MaxNewTokens, 1, MaxAnswerTokens),
            Temperature = Finite(Temperature, 0, 2, 0.7),
            TopP = Finite(TopP, 0.01, 1, 0.9),
            TopK = Math.Clamp(TopK, 0, 1000),
            RepetitionPenalty = Finite(RepetitionPenalty, 1, 2, 1.05),
            MinImageTokens = min,
            MaxImageTokens = Math.Clamp(MaxImageTokens, min, 16384),
            VideoFps = Finite(VideoFps, 0.1, 8, 2.0),
        };
    }

    public ChatOptions ToChatOptions()
    {
        var options = new ChatOptions
        {
            MaxOutputTokens = MaxNewTokens,
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [QwenVlChatClient.MinPixelsKey] = ImageBudget.MinPixels,
                [QwenVlChatClient.MaxPixelsKey] = ImageBudget.MaxPixels,
                [QwenVlChatClient.VideoFpsKey] = VideoFps,
            },
        };
        if (!UseModelSampling)
        {
            options.Temperature = (float)Temperature;
            options.TopP = (float)TopP;
            options.TopK = TopK;
            options.AdditionalProperties[QwenVlChatClient.RepetitionPenaltyKey] = RepetitionPenalty;
        }

        return options;
    }

    public VideoSamplingOptions VideoSampling => VideoSamplingOptions.Default with { Fps = VideoFps };

    /// <summary>What an attachment costs at these settings.</summary>
    public AttachmentCost Cost(Attachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        if (attachment.Media.Video is not { } video)
        {
            return Cost(attachment.Width, attachment.Height);
        }

        try
        {
            var (plan, resized) = VideoLoader.PlanFor(video, VideoSampling, attachment.Name);
            var grid = new GridThw((plan.FrameCount + 1) / QwenVl.Engine.Video.VideoSampling.FrameFactor, resized.Height / 14, resized.Width / 14);
            return new AttachmentCost(resized, grid.TokenCount(2), null, plan.FrameCount);
        }
        catch (VideoInputException ex)
        {
            return new AttachmentCost(null, 0, ex.Message);
        }
    }

    /// <summary>What the settings mean for an image of this size: its resized size and token cost, or why it cannot be sent.</summary>
    public AttachmentCost Cost(int width, int height)
    {
        try
        {
            var size = SmartResize.Compute(width, height, 28, ImageBudget);
            return new AttachmentCost(size, new GridThw(1, size.Height / 14, size.Width / 14).TokenCount(2), null);
        }
        catch (ImageInputException ex)
        {
            return new AttachmentCost(null, 0, ex.Message);
        }
    }

    private static double Finite(double value, double min, double max, double fallback) =>
        double.IsFinite(value) ? Math.Clamp(value, min, max) : fallback;
}
