using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using QwenVl.Engine.Model;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Runtime;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Generation;

/// <summary>
/// A loaded Qwen2.5-VL: the processor and the four graphs. Generation encodes the images, merges their features
/// into the prompt embeddings, prefills reading only the last logits row, then decodes one token per step at
/// position past + rope_delta on all three axes until an end-of-sequence id or max_new_tokens. Requests are served
/// one at a time (a second waits), so two answers never share one KV cache.
/// </summary>
public sealed class QwenVlModel : IDisposable
{
    public const string VisionEmbeddingsStem = "openvino_vision_embeddings_model";
    public const string VisionMergerStem = "openvino_vision_embeddings_merger_model";
    public const string TextEmbeddingsStem = "openvino_text_embeddings_model";
    public const string LanguageModelStem = "openvino_language_model";

    private readonly IGraphSession _visionEmbeddings;
    private readonly IGraphSession _merger;
    private readonly IGraphSession _textEmbeddings;
    private readonly ILanguageModelSession _language;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IDisposable? _ownedBackend;

    private QwenVlModel(QwenVlProcessor processor, IGraphSession visionEmbeddings, IGraphSession merger, IGraphSession textEmbeddings, ILanguageModelSession language, string backend)
    {
        Processor = processor;
        _visionEmbeddings = visionEmbeddings;
        _merger = merger;
        _textEmbeddings = textEmbeddings;
        _language = language;
        BackendDescription = backend;
    }

    public QwenVlProcessor Processor { get; }

    public ModelFolder Folder => Processor.Folder;

    public string BackendDescription { get; }

    /// <summary>
    /// Loads the folder's configuration, tokenizer and graphs (<c>{stem}{graphExtension}</c>). With
    /// <paramref name="ownsBackend"/>, the model disposes the backend (an OpenVINO core) after its graphs, also when
    /// loading fails.
    /// </summary>
    public static QwenVlModel Load(ModelFolder folder, IInferenceBackend backend, string graphExtension, bool ownsBackend = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(backend);
        var owned = ownsBackend ? backend as IDisposable : null;
        string PathOf(string stem) => Path.Combine(folder.Path, stem + graphExtension);
        var loaded = new List<IDisposable>();
        try
        {
            var processor = QwenVlProcessor.Load(folder);
            var vision = backend.LoadGraph(PathOf(VisionEmbeddingsStem));
            loaded.Add(vision);
            var merger = backend.LoadGraph(PathOf(VisionMergerStem));
            loaded.Add(merger);
            var text = backend.LoadGraph(PathOf(TextEmbeddingsStem));
            loaded.Add(text);
            var language = backend.LoadLanguageModel(PathOf(LanguageModelStem), folder.Config.Text);
            return new QwenVlModel(processor, vision, merger, text, language, backend.Description) { _ownedBackend = owned };
        }
        catch
        {
            foreach (var d in loaded)
            {
                d.Dispose();
            }

            owned?.Dispose();
            throw;
        }
    }

    /// <summary>Streams the answer to a prepared prompt. Cancelling the token stops within one decode step.</summary>
    public async IAsyncEnumerable<GenerationUpdate> GenerateAsync(PreparedPrompt prompt, GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxNewTokens <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxNewTokens, "max_new_tokens must be positive.");
        }

        var sampler = new LogitsSampler(options.Sampling ?? SamplingOptions.FromGenerationConfig(Folder.Generation));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Native compute runs off the caller's thread (a Blazor circuit must not block); updates come back
            // through a channel so each is yielded as soon as it exists.
            var channel = Channel.CreateUnbounded<GenerationUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var worker = Task.Run(() => Run(prompt, options, sampler, channel.Writer, stop.Token), CancellationToken.None);
            try
            {
                await foreach (var update in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    // Updates the worker produced before it saw the cancellation are not delivered.
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return update;
                }
            }
            finally
            {
                // The consumer may stop early (break, or its own cancellation): stop the worker and wait for it, so
                // the model is free before the next request starts.
                await stop.CancelAsync().ConfigureAwait(false);
                await worker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await worker.ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Run(PreparedPrompt prompt, GenerationOptions options, LogitsSampler sampler, ChannelWriter<GenerationUpdate> output, CancellationToken cancellationToken)
    {
        try
        {
            Generate(prompt, options, sampler, output, cancellationToken);
            output.Complete();
        }
#pragma warning disable CA1031 // Every failure, cancellation included, is handed to the reader, which rethrows it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            output.Complete(ex);
        }
    }

    private void Generate(PreparedPrompt prompt, GenerationOptions options, LogitsSampler sampler, ChannelWriter<GenerationUpdate> output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var length = prompt.InputIds.Length;

        var logits = new float[_language.VocabularySize];
        var visionMs = Prefill(prompt, logits, cancellationToken);
        var prefillMs = clock.Elapsed.TotalMilliseconds - visionMs;

        var eos = Folder.Generation.EosTokenIds.ToHashSet();
        var context = new List<int>(prompt.InputIds.Length + options.MaxNewTokens);
        context.AddRange(prompt.InputIds);
        var generated = new List<int>();
        var detokenizer = Processor.Tokenizer.CreateStreamingDetokenizer();
        var positions = new long[3];
        double firstTokenMs = 0;
        TimeSpan runtimeAtFirstToken = default;
        var finish = GenerationFinishReason.Length;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var token = sampler.Next(logits, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(context));
            if (generated.Count == 0)
            {
                firstTokenMs = clock.Elapsed.TotalMilliseconds;
                runtimeAtFirstToken = RuntimeTime;
            }

            if (eos.Contains(token))
            {
                finish = GenerationFinishReason.EndOfSequence;
                break;
            }

            generated.Add(token);
            context.Add(token);
            output.TryWrite(new GenerationUpdate(detokenizer.Append(token), token));
            if (generated.Count >= options.MaxNewTokens)
            {
                break;
            }

            // Decode step: the new token alone, at past length + rope_delta on all three axes.
            var position = _language.PastLength + prompt.Positions.RopeDelta;
            positions.AsSpan().Fill(position);
            _language.Forward(Embed([token]), 1, positions, logits);
        }

        var decodeSeconds = (clock.Elapsed.TotalMilliseconds - firstTokenMs) / 1000;
        var metrics = new GenerationMetrics
        {
            PromptTokens = length,
            VisionTokens = prompt.ImageTokenCount + prompt.VideoTokenCount,
            OutputTokens = generated.Count,
            VisionEncodeMilliseconds = visionMs,
            PrefillMilliseconds = prefillMs,
            TimeToFirstTokenMilliseconds = firstTokenMs,
            DecodeTokensPerSecond = generated.Count > 1 && decodeSeconds > 0 ? (generated.Count - 1) / decodeSeconds : 0,
            HostMillisecondsPerToken = generated.Count > 1
                ? ((decodeSeconds * 1000) - (RuntimeTime - runtimeAtFirstToken).TotalMilliseconds) / (generated.Count - 1)
                : 0,
        };
        output.TryWrite(new GenerationUpdate(detokenizer.Flush(), null) { FinishReason = finish, Metrics = metrics, TokenIds = generated });
    }

    /// <summary>Time inside the runtime's run calls, over all graphs.</summary>
    private TimeSpan RuntimeTime => _visionEmbeddings.RunTime + _merger.RunTime + _textEmbeddings.RunTime + _language.RunTime;

    /// <summary>The last row of the prompt's prefill logits, for cross-checks against other implementations.</summary>
    internal float[] PrefillLogits(PreparedPrompt prompt)
    {
        _gate.Wait();
        try
        {
            var logits = new float[_language.VocabularySize];
            Prefill(prompt, logits, CancellationToken.None);
            return logits;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Encodes the images and videos, merges them into the embeddings and prefills a fresh cache; returns the vision milliseconds.</summary>
    private double Prefill(PreparedPrompt prompt, float[] lastLogits, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var imageFeatures = Encode(prompt.ImageVision, prompt.ImageVision is null ? [] : prompt.ConcatenatedPixelValues());
        cancellationToken.ThrowIfCancellationRequested();
        var videoFeatures = Encode(prompt.VideoVision, prompt.VideoVision is null ? [] : prompt.ConcatenatedVideoPixelValues());
        var visionMs = clock.Elapsed.TotalMilliseconds;
        cancellationToken.ThrowIfCancellationRequested();

        var embeds = Embed(prompt.InputIds);
        var hidden = Folder.Config.Text.HiddenSize;
        MergeVisionFeatures(prompt.InputIds, embeds, imageFeatures, hidden, Folder.Config.Tokens.ImageTokenId, "image");
        MergeVisionFeatures(prompt.InputIds, embeds, videoFeatures, hidden, Folder.Config.Tokens.VideoTokenId, "video");
        _language.Reset();
        _language.Forward(embeds, prompt.InputIds.Length, prompt.Positions.PositionIds, lastLogits);
        return visionMs;
    }

    /// <summary>
    /// Patch embedding then the merger, for all images (or all videos) of the prompt: [tokens, hidden] in prompt order.
    /// Images and videos are separate calls, as in HF (<c>get_image_features</c>, <c>get_video_features</c>).
    /// </summary>
    private float[] Encode(VisionEncoderInputs? vision, float[] pixelValues)
    {
        if (vision is null)
        {
            return [];
        }

        var n = vision.PatchCount;
        var patches = _visionEmbeddings.Run([TensorData.OfFloats("hidden_states", pixelValues, n, pixelValues.Length / n)])[0];
        var width = patches.Shape[^1];
        var merged = _merger.Run(
        [
            TensorData.OfFloats("hidden_states", patches.Floats!, n, width),
            TensorData.OfFloats("attention_mask", VisionAttentionMask.Create(vision.FrameBoundaries), 1, n, n),
            TensorData.OfFloats("window_attention_mask", VisionAttentionMask.Create(vision.Windows.CuWindowSeqlens), 1, n, n),
            TensorData.OfLongs("window_index", vision.Windows.WindowIndex, vision.Windows.WindowIndex.Length),
            TensorData.OfFloats("rotary_pos_emb", vision.RotaryPosEmb, n, vision.RotaryColumns),
        ])[0];
        return merged.Floats!;
    }

    private float[] Embed(int[] ids)
    {
        var longs = Array.ConvertAll(ids, i => (long)i);
        return _textEmbeddings.Run([TensorData.OfLongs("input", longs, 1, ids.Length)])[0].Floats!;
    }

    /// <summary>Overwrites each pad row (<c>&lt;|image_pad|&gt;</c> or <c>&lt;|video_pad|&gt;</c>), in order, with the next feature row (HF's masked_scatter).</summary>
    private static void MergeVisionFeatures(int[] ids, float[] embeds, float[] features, int hidden, int padToken, string kind)
    {
        var rows = features.Length / hidden;
        var next = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] == padToken)
            {
                if (next == rows)
                {
                    throw new InferenceException($"The prompt has more {kind} tokens than the vision tower produced features ({rows}).");
                }

                Array.Copy(features, next++ * hidden, embeds, i * hidden, hidden);
            }
        }

        if (next != rows)
        {
            throw new InferenceException($"The vision tower produced {rows} {kind} feature rows but the prompt has {next} {kind} tokens.");
        }
    }

    public void Dispose()
    {
        _visionEmbeddings.Dispose();
        _merger.Dispose();
        _textEmbeddings.Dispose();
        _language.Dispose();
        _ownedBackend?.Dispose();
        _gate.Dispose();
    }
}
