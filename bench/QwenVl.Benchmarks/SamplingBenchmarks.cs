using BenchmarkDotNet.Attributes;
using QwenVl.Engine.Generation;

namespace QwenVl.Benchmarks;

/// <summary>
/// The sampler's share of the host work per generated token (issue 3 target: all host work ≤ 1 ms per token) with
/// Qwen2.5-VL's 151,936-entry vocabulary and a 1,300-id context (a prompt with one demo-sized image). Each call
/// starts from a fresh copy of the logits row, as a decode step does.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SamplingBenchmarks
{
    private const int Vocabulary = 151_936;
    private float[] _logits = null!;
    private float[] _work = null!;
    private int[] _context = null!;
    private LogitsSampler _modelDefaults = null!;
    private LogitsSampler _topK50TopP08 = null!;
    private LogitsSampler _topP09Only = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);

        // Roughly the shape of real logits: most words far below a few dozen plausible ones.
        _logits = Enumerable.Range(0, Vocabulary).Select(_ => (float)((random.NextDouble() * 8) - 12)).ToArray();
        for (var i = 0; i < 40; i++)
        {
            _logits[random.Next(Vocabulary)] = (float)(random.NextDouble() * 6) + 10;
        }

        _work = new float[Vocabulary];
        _context = Enumerable.Range(0, 1300).Select(_ => random.Next(Vocabulary)).ToArray();
        _modelDefaults = new LogitsSampler(new SamplingOptions { DoSample = true, Temperature = 0.1f, TopK = 1, TopP = 0.001f, RepetitionPenalty = 1.05f, Seed = 1 });
        _topK50TopP08 = new LogitsSampler(new SamplingOptions { DoSample = true, Temperature = 0.7f, TopK = 50, TopP = 0.8f, RepetitionPenalty = 1.05f, Seed = 1 });
        _topP09Only = new LogitsSampler(new SamplingOptions { DoSample = true, Temperature = 0.7f, TopK = 0, TopP = 0.9f, RepetitionPenalty = 1.05f, Seed = 1 });
    }

    [Benchmark(Baseline = true, Description = "Model defaults (penalty 1.05, top_k 1)")]
    public int ModelDefaults() => Step(_modelDefaults);

    [Benchmark(Description = "T 0.7, top_k 50, top_p 0.8, penalty")]
    public int TopK50() => Step(_topK50TopP08);

    [Benchmark(Description = "T 0.7, top_p 0.9 over the whole vocabulary, penalty")]
    public int TopPOnly() => Step(_topP09Only);

    private int Step(LogitsSampler sampler)
    {
        _logits.CopyTo(_work, 0);
        return sampler.Next(_work, _context);
    }
}
