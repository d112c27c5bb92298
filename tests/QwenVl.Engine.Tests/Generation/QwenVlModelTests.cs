using QwenVl.Engine.Chat;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Runtime.OnnxRuntime;
using QwenVl.Engine.Tests.ModelBuilder;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Generation;

/// <summary>The decode loop on the generated tiny model, through the ONNX Runtime adapter.</summary>
public sealed class QwenVlModelTests : IClassFixture<GeneratedModelTests.TinyModel>, IDisposable
{
    private readonly GeneratedModelTests.TinyModel _reference;
    private readonly QwenVlModel _model;

    public QwenVlModelTests(GeneratedModelTests.TinyModel reference)
    {
        _reference = reference;
        _model = QwenVlModel.Load(ModelFolder.Load(TestAssets.TinyModelFolder), new OnnxRuntimeBackend(), OnnxRuntimeBackend.GraphExtension);
    }

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task Greedy_tokens_equal_a_reference_that_reruns_the_whole_sequence_without_a_cache()
    {
        var prompt = Prompt("gradient_123x77.png");
        var result = await _model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 6, Sampling = SamplingOptions.Greedy }, TestContext.Current.CancellationToken).CollectAsync();

        // Reference: at each step run the full prompt + generated ids from scratch and take the argmax.
        var ids = prompt.InputIds.ToList();
        var positions = prompt.Positions;
        var expected = new List<int>();
        for (var step = 0; step < 6; step++)
        {
            var extended = ExtendPositions(positions.PositionIds, positions.Length, ids.Count, positions.RopeDelta);
            var logits = _reference.RunLanguageOn(prompt, ids.ToArray(), extended);
            var next = LogitsSampler.ArgMax(logits);
            expected.Add(next);
            ids.Add(next);
        }

        Assert.Equal(expected, result.Final.TokenIds);
        Assert.Equal(GenerationFinishReason.Length, result.Final.FinishReason);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_sample_and_another_seed_another()
    {
        var prompt = Prompt("gradient_123x77.png");
        var sampling = new SamplingOptions { DoSample = true, Temperature = 1.5f, TopK = 0, TopP = 1f };

        var a = await _model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 8, Sampling = sampling with { Seed = 1 } }, TestContext.Current.CancellationToken).CollectAsync();
        var b = await _model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 8, Sampling = sampling with { Seed = 1 } }, TestContext.Current.CancellationToken).CollectAsync();
        var c = await _model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 8, Sampling = sampling with { Seed = 2 } }, TestContext.Current.CancellationToken).CollectAsync();

        Assert.Equal(a.Final.TokenIds, b.Final.TokenIds);
        Assert.NotEqual(a.Final.TokenIds, c.Final.TokenIds);
    }

    [Fact]
    public async Task Streamed_text_adds_up_to_the_decoded_tokens_and_metrics_are_reported()
    {
        var prompt = Prompt("gradient_123x77.png");

        var result = await _model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 5, Sampling = SamplingOptions.Greedy }, TestContext.Current.CancellationToken).CollectAsync();

        Assert.Equal(_model.Processor.Tokenizer.Decode(result.Final.TokenIds!, skipSpecialTokens: true), result.Text);
        var metrics = result.Final.Metrics!;
        Assert.Equal((prompt.InputIds.Length, 12, 5), (metrics.PromptTokens, metrics.VisionTokens, metrics.OutputTokens));
        Assert.True(metrics.TimeToFirstTokenMilliseconds > 0 && metrics.PrefillMilliseconds > 0 && metrics.VisionEncodeMilliseconds > 0);
        Assert.True(metrics.DecodeTokensPerSecond > 0);
    }

    [Fact]
    public async Task An_end_of_sequence_id_stops_generation()
    {
        var prompt = Prompt("gradient_123x77.png");
        var first = (await _model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 1, Sampling = SamplingOptions.Greedy }, TestContext.Current.CancellationToken).CollectAsync()).Final.TokenIds![0];

        // A copy of the model whose generation_config names that token as end-of-sequence.
        var folder = TestAssets.NewTempFolder();
        foreach (var file in Directory.GetFiles(TestAssets.TinyModelFolder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder, "generation_config.json"), $$"""{"eos_token_id": [151645, {{first}}]}""");
        using var model = QwenVlModel.Load(ModelFolder.Load(folder), new OnnxRuntimeBackend(), OnnxRuntimeBackend.GraphExtension);

        var result = await model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 10, Sampling = SamplingOptions.Greedy }, TestContext.Current.CancellationToken).CollectAsync();

        Assert.Equal(GenerationFinishReason.EndOfSequence, result.Final.FinishReason);
        Assert.Empty(result.Final.TokenIds!);
    }

    [Fact]
    public async Task Cancelling_stops_within_one_step_and_frees_the_model()
    {
        var prompt = Prompt("gradient_123x77.png");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in _model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 500, Sampling = SamplingOptions.Greedy }, cts.Token))
            {
                received++;
                if (received == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(2, received);

        // The next request is served (the gate was released).
        var next = await _model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 2, Sampling = SamplingOptions.Greedy }, TestContext.Current.CancellationToken).CollectAsync();
        Assert.Equal(2, next.Final.TokenIds!.Count);
    }

    [Fact]
    public async Task Concurrent_requests_are_served_one_after_the_other_with_the_same_results()
    {
        var prompt = Prompt("gradient_123x77.png");
        var options = new GenerationOptions { MaxNewTokens = 6, Sampling = SamplingOptions.Greedy };

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _model.GenerateAsync(prompt, options, TestContext.Current.CancellationToken).CollectAsync()));

        Assert.All(results, r => Assert.Equal(results[0].Final.TokenIds, r.Final.TokenIds));
    }

    private PreparedPrompt Prompt(string image) =>
        _model.Processor.Prepare([PromptTurn.User(PromptItem.Image, PromptItem.FromText("Describe this image."))],
            [new ImageDecoder().DecodeFile(Path.Combine(TestAssets.Images, image))]);

    private static long[] ExtendPositions(long[] prompt, int promptLength, int total, long delta)
    {
        var result = new long[3 * total];
        for (var axis = 0; axis < 3; axis++)
        {
            for (var i = 0; i < total; i++)
            {
                result[(axis * total) + i] = i < promptLength ? prompt[(axis * promptLength) + i] : i + delta;
            }
        }

        return result;
    }

    [Fact]
    public void A_model_disposes_the_backend_it_owns_after_its_graphs_and_when_loading_fails()
    {
        var folder = ModelFolder.Load(TestAssets.TinyModelFolder);
        var owned = new CountingBackend();
        var borrowed = new CountingBackend();

        QwenVlModel.Load(folder, owned, OnnxRuntimeBackend.GraphExtension, ownsBackend: true).Dispose();
        QwenVlModel.Load(folder, borrowed, OnnxRuntimeBackend.GraphExtension).Dispose();
        var failing = new CountingBackend();
        Assert.ThrowsAny<Exception>(() => QwenVlModel.Load(folder, failing, ".missing", ownsBackend: true));

        Assert.Equal(1, owned.Disposed);
        Assert.Equal(0, borrowed.Disposed);
        Assert.Equal(1, failing.Disposed);
    }

    private sealed class CountingBackend : Engine.Runtime.IInferenceBackend, IDisposable
    {
        private readonly OnnxRuntimeBackend _inner = new();

        public int Disposed { get; private set; }

        public string Description => _inner.Description;

        public Engine.Runtime.IGraphSession LoadGraph(string path) => _inner.LoadGraph(path);

        public Engine.Runtime.ILanguageModelSession LoadLanguageModel(string path, TextConfig config) => _inner.LoadLanguageModel(path, config);

        public void Dispose() => Disposed++;
    }
}
