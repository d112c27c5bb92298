using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntimeGenAI;
using QwenVl.Engine.Chat;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime.OnnxRuntime;
using QwenVl.Engine.Vision;
using QwenVl.ModelBuilder;

namespace QwenVl.Benchmarks;

/// <summary>
/// Issue 3 targets, on the generated <c>small</c> model (hidden 256, 4 layers, the full 151,936-word vocabulary):
/// decode throughput of our pipeline against ONNX Runtime GenAI 0.18 on the same decoder graph, measured in one
/// run (a short text prompt, then 64 greedy tokens, so decoding dominates), and our host work per token.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DecodeBenchmarks
{
    private const int NewTokens = 64;
    private const string PromptText = "Write a long story about a lighthouse keeper.";

    private string _optimumFolder = null!;
    private string _genAiFolder = null!;
    private QwenVlModel _model = null!;
    private Engine.Processing.PreparedPrompt _prompt = null!;
    private Microsoft.ML.OnnxRuntimeGenAI.Model _genAi = null!;
    private Tokenizer _genAiTokenizer = null!;
    private int[] _promptIds = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = Path.Combine(Path.GetTempPath(), "qwenvl-bench-small");
        _optimumFolder = Path.Combine(root, "optimum");
        _genAiFolder = Path.Combine(root, "genai");
        if (!File.Exists(Path.Combine(_optimumFolder, GeneratedModelWriter.MarkerFileName)))
        {
            GeneratedModelWriter.Write(_optimumFolder, ModelPreset.Small, seed: 1);
        }

        _model = QwenVlModel.Load(ModelFolder.Load(_optimumFolder), new OnnxRuntimeBackend(), OnnxRuntimeBackend.GraphExtension);
        _prompt = _model.Processor.Prepare([PromptTurn.User(PromptItem.FromText(PromptText))], []);
        _promptIds = _prompt.InputIds;

        if (!File.Exists(Path.Combine(_genAiFolder, "genai_config.json")))
        {
            // GenAI needs a vision graph even for text prompts; bake it for a 56×56 image (never used here).
            GenAiLayoutWriter.Write(_genAiFolder, ModelPreset.Small, seed: 1, new GridThw(1, 4, 4));
        }

        _genAi = new Microsoft.ML.OnnxRuntimeGenAI.Model(_genAiFolder);
        _genAiTokenizer = new Tokenizer(_genAi);

        // Both must produce the same tokens, or the comparison is meaningless.
        var ours = Ours();
        var theirs = GenAi();
        if (!ours.SequenceEqual(theirs))
        {
            throw new InvalidOperationException("Our pipeline and GenAI generate different tokens on the small model.");
        }

        var metrics = LastMetrics!;
        Console.WriteLine($"// ours: {metrics.DecodeTokensPerSecond:0.0} tokens/s, host {metrics.HostMillisecondsPerToken:0.000} ms/token");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _genAiTokenizer.Dispose();
        _genAi.Dispose();
    }

    private GenerationMetrics? LastMetrics { get; set; }

    [Benchmark(Baseline = true, Description = "ONNX Runtime GenAI: prompt + 64 greedy tokens")]
    public int[] GenAi()
    {
        using var parameters = new GeneratorParams(_genAi);
        parameters.SetSearchOption("max_length", _promptIds.Length + NewTokens);
        parameters.SetSearchOption("min_length", _promptIds.Length + NewTokens);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Generator(_genAi, parameters);
        generator.AppendTokens(_promptIds);
        while (!generator.IsDone())
        {
            generator.GenerateNextToken();
        }

        return generator.GetSequence(0)[_promptIds.Length..].ToArray();
    }

    [Benchmark(Description = "Ours: prompt + 64 greedy tokens")]
    public int[] Ours()
    {
        var task = Collect();
        return task.GetAwaiter().GetResult();
    }

    private async Task<int[]> Collect()
    {
        var tokens = new List<int>(NewTokens);
        await foreach (var update in _model.GenerateAsync(_prompt, new GenerationOptions { MaxNewTokens = NewTokens, Sampling = SamplingOptions.Greedy }))
        {
            if (update.TokenId is { } id)
            {
                tokens.Add(id);
            }

            if (update.Metrics is { } metrics)
            {
                LastMetrics = metrics;
            }
        }

        return tokens.ToArray();
    }
}
