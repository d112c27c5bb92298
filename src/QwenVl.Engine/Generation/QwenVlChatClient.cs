using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using QwenVl.Engine.Budget;
using QwenVl.Engine.Chat;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Generation;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> over a loaded <see cref="QwenVlModel"/>. Messages carry
/// <see cref="TextContent"/>, image <see cref="DataContent"/> and video <see cref="DataContent"/> (read with ffmpeg;
/// <c>video_fps</c> in the options sets the sampling rate, qwen_vl_utils' 2.0 by default); every call re-templates and re-prefills the whole
/// conversation, as the notebook does. Options: when a request sets none of Temperature, TopP and TopK, the model's
/// generation_config.json applies (as in HF <c>generate</c>); when it sets any, the others are neutral (temperature
/// 1, top-k off, top-p 1). <see cref="ChatOptions.AdditionalProperties"/> may carry <c>repetition_penalty</c>,
/// <c>min_pixels</c> and <c>max_pixels</c> (default: the notebook's 256…1280 tokens per image). The final streamed
/// update carries usage and the finish reason. A request over the model's <see cref="QwenVlModel.Budget"/> is refused
/// with a <see cref="RequestBudgetException"/> from image headers and video probes, before any frame is decoded. Text
/// that spells an added token (<c>&lt;|im_end|&gt;</c>) is that token, as in HF, unless <see cref="TextIsLiteral"/> is
/// set, as it should be wherever the text comes from untrusted people.
/// </summary>
public sealed class QwenVlChatClient : IChatClient
{
    public const string RepetitionPenaltyKey = "repetition_penalty";
    public const string MinPixelsKey = "min_pixels";
    public const string MaxPixelsKey = "max_pixels";
    public const string VideoFpsKey = "video_fps";

    /// <summary>Default answer length when a request does not set MaxOutputTokens (the Gradio demo's 512).</summary>
    public const int DefaultMaxOutputTokens = 512;

    private readonly QwenVlModel _model;
    private readonly ImageDecoder _decoder;
    private readonly ChatClientMetadata _metadata;

    public QwenVlChatClient(QwenVlModel model, ImageDecoderOptions? imageLimits = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _decoder = new ImageDecoder(imageLimits);
        _metadata = new ChatClientMetadata("qwenvl", null, Path.GetFileName(model.Folder.Path.TrimEnd(Path.DirectorySeparatorChar)));
    }

    /// <summary>
    /// When true, text can never become control tokens (see <see cref="SpecialTokenText"/>): the chat page sets it, so
    /// a pasted <c>&lt;|im_end|&gt;</c> is shown to the model as characters, not as the end of the user's turn.
    /// </summary>
    public bool TextIsLiteral { get; init; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (turns, imageContents, videoContents) = ToTurns(messages);
        var generation = ToGenerationOptions(options);
        var budget = ImageBudget(options);
        var videoOptions = VideoOptions(options);
        var videoFiles = new List<string>();
        PreparedPrompt prompt;
        try
        {
            // First what the request will cost, from image headers and video probes; only then decode anything.
            var sizes = imageContents.Select(c => _decoder.ReadSize(c.Data.Span, c.Name ?? "an attached image")).ToArray();
            var probes = new List<VideoInfo>();
            foreach (var video in videoContents)
            {
                var path = await WriteTemporaryAsync(video, cancellationToken).ConfigureAwait(false);
                videoFiles.Add(path);
                probes.Add(await FfmpegVideoReader.ProbeAsync(path, video.Name ?? "an attached video", cancellationToken).ConfigureAwait(false));
            }

            var plans = probes.Select((info, i) => VideoLoader.PlanFor(info, videoOptions, videoContents[i].Name ?? "an attached video")).ToArray();

            _model.Budget.EnsureFits(_model.Processor.Shape(turns, sizes, plans, budget, generation.MaxNewTokens));

            var images = imageContents.Select(c => _decoder.Decode(c.Data.Span, c.Name ?? "an attached image")).ToList();
            var videos = new List<VideoClip>();
            for (var i = 0; i < videoFiles.Count; i++)
            {
                videos.Add(await VideoLoader.LoadAsync(videoFiles[i], probes[i], videoContents[i].Name ?? "an attached video", videoOptions, cancellationToken).ConfigureAwait(false));
            }

            prompt = _model.Processor.Prepare(turns, images, videos, budget);
        }
        finally
        {
            foreach (var path in videoFiles)
            {
                File.Delete(path);
            }
        }

        var responseId = Guid.NewGuid().ToString("N");
        await foreach (var update in _model.GenerateAsync(prompt, generation, cancellationToken).ConfigureAwait(false))
        {
            if (update.FinishReason is { } reason)
            {
                var metrics = update.Metrics!;
                var final = new ChatResponseUpdate(ChatRole.Assistant, [])
                {
                    ResponseId = responseId,
                    ModelId = _metadata.DefaultModelId,
                    FinishReason = reason == GenerationFinishReason.EndOfSequence ? ChatFinishReason.Stop : ChatFinishReason.Length,
                    AdditionalProperties = new AdditionalPropertiesDictionary
                    {
                        ["vision_tokens"] = metrics.VisionTokens,
                        ["ttft_ms"] = metrics.TimeToFirstTokenMilliseconds,
                        ["prefill_ms"] = metrics.PrefillMilliseconds,
                        ["vision_encode_ms"] = metrics.VisionEncodeMilliseconds,
                        ["decode_tokens_per_second"] = metrics.DecodeTokensPerSecond,
                    },
                };
                if (update.Text.Length > 0)
                {
                    final.Contents.Add(new TextContent(update.Text));
                }

                final.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = metrics.PromptTokens,
                    OutputTokenCount = metrics.OutputTokens,
                    TotalTokenCount = metrics.PromptTokens + metrics.OutputTokens,
                    AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["vision_tokens"] = metrics.VisionTokens },
                }));
                yield return final;
            }
            else if (update.Text.Length > 0)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, update.Text) { ResponseId = responseId, ModelId = _metadata.DefaultModelId };
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(QwenVlModel) ? _model
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>The model is owned by whoever loaded it; disposing the client does not unload it.</summary>
    public void Dispose()
    {
    }

    /// <summary>
    /// What <paramref name="messages"/> will cost on this model, given the original size of each image and the
    /// frame plan of each video (in order), without decoding anything: for showing a running total against
    /// <see cref="QwenVlModel.Budget"/> before sending.
    /// </summary>
    public PromptShape Shape(IEnumerable<ChatMessage> messages, ChatOptions? options, IReadOnlyList<ImageSize> imageSizes,
        IReadOnlyList<(VideoFramePlan Plan, ImageSize Resized)> videos)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (turns, _, _) = ToTurns(messages);
        return _model.Processor.Shape(turns, imageSizes, videos, ImageBudget(options), ToGenerationOptions(options).MaxNewTokens);
    }

    /// <summary>The conversation as template turns, with its image and video contents in order (nothing decoded yet).</summary>
    private (List<PromptTurn> Turns, List<DataContent> Images, List<DataContent> Videos) ToTurns(IEnumerable<ChatMessage> messages)
    {
        var turns = new List<PromptTurn>();
        var images = new List<DataContent>();
        var videos = new List<DataContent>();
        foreach (var message in messages)
        {
            var role = message.Role == ChatRole.System ? PromptTurn.SystemRole
                : message.Role == ChatRole.User ? PromptTurn.UserRole
                : message.Role == ChatRole.Assistant ? PromptTurn.AssistantRole
                : throw new NotSupportedException($"Messages with role '{message.Role}' are not supported; use system, user and assistant.");
            var items = new List<PromptItem>();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        var value = text.Text ?? string.Empty;
                        items.Add(PromptItem.FromText(TextIsLiteral ? SpecialTokenText.Neutralize(value, _model.Processor.Tokenizer.AddedTokens.Keys) : value));
                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        if (role != PromptTurn.UserRole)
                        {
                            throw new NotSupportedException("Images are accepted in user messages only.");
                        }

                        images.Add(data);
                        items.Add(PromptItem.Image);
                        break;
                    case DataContent data when data.HasTopLevelMediaType("video"):
                        if (role != PromptTurn.UserRole)
                        {
                            throw new NotSupportedException("Videos are accepted in user messages only.");
                        }

                        videos.Add(data);
                        items.Add(PromptItem.Video);
                        break;
                    case UsageContent:
                        break;
                    default:
                        throw new NotSupportedException($"{content.GetType().Name} is not supported; messages may hold text, images (image/* data) and videos (video/* data).");
                }
            }

            turns.Add(new PromptTurn(role, items));
        }

        if (turns.Count == 0)
        {
            throw new ArgumentException("The conversation is empty.", nameof(messages));
        }

        return (turns, images, videos);
    }

    /// <summary>ffmpeg reads files: a video's bytes go to a temporary file, deleted once its frames are read.</summary>
    private static async Task<string> WriteTemporaryAsync(DataContent data, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"qwenvl-{Guid.NewGuid():N}.video");
        try
        {
            await File.WriteAllBytesAsync(path, data.Data, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return path;
    }

    private static VideoSamplingOptions VideoOptions(ChatOptions? options) =>
        Number(options, VideoFpsKey) is { } fps ? VideoSamplingOptions.Default with { Fps = fps } : VideoSamplingOptions.Default;

    private GenerationOptions ToGenerationOptions(ChatOptions? options)
    {
        var penalty = Number(options, RepetitionPenaltyKey);
        var sampling = SamplingOptions.ForRequest(_model.Folder.Generation, options?.Temperature, options?.TopP, options?.TopK,
            penalty is { } p ? (float)p : null, options?.Seed is { } seed ? unchecked((ulong)seed) : null);

        return new GenerationOptions
        {
            MaxNewTokens = options?.MaxOutputTokens ?? DefaultMaxOutputTokens,
            Sampling = sampling,
        };
    }

    /// <summary>
    /// The resize budget: the OpenVINO notebook's 256…1280 tokens per image unless the request says otherwise (the
    /// model's own maximum of 16,384 tokens would need vision merger masks of 17 GB each).
    /// </summary>
    private static PixelBudget ImageBudget(ChatOptions? options)
    {
        var min = Number(options, MinPixelsKey);
        var max = Number(options, MaxPixelsKey);
        return new PixelBudget((long)(min ?? PixelBudget.Notebook.MinPixels), (long)(max ?? PixelBudget.Notebook.MaxPixels));
    }

    private static double? Number(ChatOptions? options, string key)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return value switch
        {
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } json => json.GetDouble(),
            IConvertible convertible => convertible.ToDouble(CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"Option '{key}' must be a number."),
        };
    }
}
