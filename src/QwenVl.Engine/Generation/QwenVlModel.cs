using System.Runtime.CompilerServices;
using System.Threading.Channels;
using QwenVl.Engine.Budget;
using QwenVl.Engine.Model;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Runtime;

namespace QwenVl.Engine.Generation;

/// <summary>
/// A loaded Qwen2.5-VL: the processor, the four graphs, and the budget its requests are held to. It owns loading and
/// the request gate; the work is split as openvino.genai splits its VLM pipeline: <see cref="VisionEncoder"/> (vision
/// calls, masks, the two vision graphs), <see cref="InputsEmbedder"/> (text embeddings and the merge) and
/// <see cref="GenerationLoop"/> (chunked prefill, decode, metrics). A request over <see cref="Budget"/> is refused
/// before any graph runs. Requests are served one at a time (a second waits), so two answers never share one KV cache.
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
    private readonly GenerationLoop _loop;
    private IDisposable? _ownedBackend;

    private QwenVlModel(QwenVlProcessor processor, IGraphSession visionEmbeddings, IGraphSession merger, IGraphSession textEmbeddings,
        ILanguageModelSession language, string backend, InferenceLimits limits)
    {
        Processor = processor;
        _visionEmbeddings = visionEmbeddings;
        _merger = merger;
        _textEmbeddings = textEmbeddings;
        _language = language;
        BackendDescription = backend;
        Limits = limits;
        var config = processor.Folder.Config;
        Budget = new RequestBudget(config, limits, language.ComputesLastLogitsOnly);
        _loop = new GenerationLoop(
            new VisionEncoder(visionEmbeddings, merger, config.Vision),
            new InputsEmbedder(textEmbeddings, config.Text.HiddenSize, config.Tokens),
            language, processor.Tokenizer, processor.Folder, () => RuntimeTime);
    }

    public QwenVlProcessor Processor { get; }

    public ModelFolder Folder => Processor.Folder;

    public string BackendDescription { get; }

    /// <summary>Chunk and call sizes, and the budget's settings.</summary>
    public InferenceLimits Limits { get; }

    /// <summary>What a request may cost; <see cref="GenerateAsync"/> refuses one over it before any work.</summary>
    public RequestBudget Budget { get; }

    /// <summary>
    /// Loads the folder's configuration, tokenizer and graphs (<c>{stem}{graphExtension}</c>). With
    /// <paramref name="ownsBackend"/>, the model disposes the backend (an OpenVINO core) after its graphs, also when
    /// loading fails.
    /// </summary>
    public static QwenVlModel Load(ModelFolder folder, IInferenceBackend backend, string graphExtension, bool ownsBackend = false, InferenceLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(backend);
        limits = (limits ?? InferenceLimits.Default).Validated();
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
            loaded.Add(language);
            return new QwenVlModel(processor, vision, merger, text, language, backend.Description, limits) { _ownedBackend = owned };
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

    /// <summary>
    /// Streams the answer to a prepared prompt. Cancelling the token stops within one decode step (or one prefill
    /// chunk, or one vision call).
    /// </summary>
    /// <exception cref="RequestBudgetException">The prompt and answer are over <see cref="Budget"/>; nothing ran.</exception>
    public async IAsyncEnumerable<GenerationUpdate> GenerateAsync(PreparedPrompt prompt, GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxNewTokens <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxNewTokens, "max_new_tokens must be positive.");
        }

        Budget.EnsureFits(ShapeOf(prompt, options.MaxNewTokens));
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
            _loop.Run(prompt, options, Limits, sampler, output, cancellationToken);
            output.Complete();
        }
#pragma warning disable CA1031 // Every failure, cancellation included, is handed to the reader, which rethrows it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            output.Complete(ex);
        }
    }

    /// <summary>Time inside the runtime's run calls, over all graphs.</summary>
    internal TimeSpan RuntimeTime => _visionEmbeddings.RunTime + _merger.RunTime + _textEmbeddings.RunTime + _language.RunTime;

    /// <summary>Whether the language model computes the last position's logits only (<c>num_logits_to_keep</c>).</summary>
    internal bool ComputesLastLogitsOnly => _language.ComputesLastLogitsOnly;

    /// <summary>The shape of a prepared prompt, for <see cref="RequestBudget"/>.</summary>
    public static PromptShape ShapeOf(PreparedPrompt prompt, int maxNewTokens)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return new PromptShape(prompt.InputIds.Length, prompt.ImageGrids, [.. prompt.Videos.Select(v => v.Grid)], maxNewTokens);
    }

    /// <summary>The last row of the prompt's prefill logits, for cross-checks against other implementations.</summary>
    internal float[] PrefillLogits(PreparedPrompt prompt, InferenceLimits? limits = null)
    {
        _gate.Wait();
        try
        {
            var logits = new float[_language.VocabularySize];
            _loop.Prefill(prompt, limits ?? Limits, logits, CancellationToken.None);
            return logits;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The merged image and video features ([tokens, hidden], prompt order) with calls of at most <paramref name="maxPatchesPerCall"/> patches.</summary>
    internal (float[] Images, float[] Videos) VisionFeatures(PreparedPrompt prompt, int maxPatchesPerCall)
    {
        _gate.Wait();
        try
        {
            var (images, videos) = _loop.EncodeVision(prompt, maxPatchesPerCall, CancellationToken.None);
            return (Drain(images), Drain(videos));
        }
        finally
        {
            _gate.Release();
        }

        float[] Drain(VisionFeatureCursor cursor)
        {
            var hidden = Folder.Config.Text.HiddenSize;
            var all = new float[cursor.Rows * hidden];
            for (var r = 0; r < cursor.Rows; r++)
            {
                cursor.CopyNext(all.AsSpan(r * hidden, hidden));
            }

            return all;
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
