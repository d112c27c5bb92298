using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Generation;

public class LogitsSamplerTests
{
    [Fact]
    public void Repetition_penalty_follows_the_HF_formula_once_per_distinct_id()
    {
        // RepetitionPenaltyLogitsProcessor: gather the context ids' scores, where(score < 0, score * p, score / p),
        // scatter back — so an id seen twice is penalised once.
        float[] logits = [2.0f, -1.0f, 0.0f, 3.0f, -0.5f];
        var sampler = new LogitsSampler(SamplingOptions.Greedy);

        sampler.ApplyRepetitionPenalty(logits, [0, 1, 1, 2, 1], 1.2f);

        Assert.Equal(new[] { 2.0f / 1.2f, -1.0f * 1.2f, 0.0f, 3.0f, -0.5f }, logits);
    }

    [Fact]
    public void Greedy_picks_the_argmax_after_the_penalty()
    {
        var sampler = new LogitsSampler(SamplingOptions.Greedy with { RepetitionPenalty = 1.05f });

        // 5 / 1.05 = 4.76 < 4.9: the repeated token loses.
        Assert.Equal(1, sampler.Next(new[] { 5.0f, 4.9f, 1f }, [0]));
        Assert.Equal(0, new LogitsSampler(SamplingOptions.Greedy).Next(new[] { 5.0f, 4.9f, 1f }, [0]));
    }

    [Fact]
    public void ArgMax_takes_the_first_of_equal_maxima_and_never_a_NaN()
    {
        var logits = new float[1000];
        logits[700] = 5f;
        logits[300] = 5f;
        Assert.Equal(300, LogitsSampler.ArgMax(logits));

        logits[10] = float.NaN;
        Assert.Equal(300, LogitsSampler.ArgMax(logits));
    }

    [Fact]
    public void The_models_own_defaults_are_greedy_with_a_penalty()
    {
        // Qwen2.5-VL's generation_config: do_sample, temperature 0.1, top_k 1, top_p 0.001, penalty 1.05.
        var options = SamplingOptions.FromGenerationConfig(ModelFolder.Load(TestAssets.ModelFolder).Generation);
        var random = new Random(7);
        var logits = Enumerable.Range(0, 151_936).Select(_ => (float)random.NextDouble() * 10).ToArray();
        var context = Enumerable.Range(0, 1000).Select(_ => random.Next(151_936)).ToArray();
        var expected = (float[])logits.Clone();
        foreach (var id in context.Distinct())
        {
            expected[id] = expected[id] < 0 ? expected[id] * 1.05f : expected[id] / 1.05f;
        }

        var chosen = new LogitsSampler(options with { Seed = 1 }).Next(logits, context);

        Assert.Equal(Array.IndexOf(expected, expected.Max()), chosen);
    }

    [Fact]
    public void Top_k_keeps_only_the_k_best_and_samples_them_by_their_softmax()
    {
        float[] logits = [1f, 3f, 2f, 0f, 2.5f];
        var sampler = new LogitsSampler(new SamplingOptions { DoSample = true, TopK = 2, Seed = 42 });
        var counts = new int[5];

        for (var i = 0; i < 20_000; i++)
        {
            counts[sampler.Next((float[])logits.Clone(), [])]++;
        }

        Assert.Equal(0, counts[0] + counts[2] + counts[3]);
        var expected = Math.Exp(3) / (Math.Exp(3) + Math.Exp(2.5)); // 0.6225
        Assert.InRange(counts[1] / 20_000.0, expected - 0.02, expected + 0.02);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_head_reaching_p()
    {
        // p = [0.5, 0.3, 0.15, 0.05], top_p 0.75: HF removes ascending cumsum ≤ 0.25, i.e. 0.05 and 0.15.
        var logits = new[] { 0.5, 0.3, 0.15, 0.05 }.Select(p => (float)Math.Log(p)).ToArray();
        var sampler = new LogitsSampler(new SamplingOptions { DoSample = true, TopK = 0, TopP = 0.75f, Seed = 3 });
        var counts = new int[4];

        for (var i = 0; i < 20_000; i++)
        {
            counts[sampler.Next((float[])logits.Clone(), [])]++;
        }

        Assert.Equal(0, counts[2] + counts[3]);
        Assert.InRange(counts[0] / 20_000.0, 0.625 - 0.02, 0.625 + 0.02);
    }

    [Theory]
    [InlineData(0.9f, 1.0f)]
    [InlineData(0.5f, 3.0f)]
    [InlineData(0.999f, 0.2f)]
    public void Top_p_over_a_full_vocabulary_matches_a_brute_force_HF_filter(float topP, float spread)
    {
        // Brute force, as TopPLogitsWarper: sort ascending, cumulative softmax, drop cumsum ≤ 1 − p, keep the last.
        var random = new Random(11);
        var logits = Enumerable.Range(0, 151_936).Select(_ => (float)(random.NextDouble() * spread)).ToArray();
        var ascending = logits.Select((l, i) => (l, i)).OrderBy(x => x.l).ThenByDescending(x => x.i).ToArray();
        var max = logits.Max();
        var total = logits.Sum(l => Math.Exp(l - max));
        var cumulative = 0.0;
        var kept = new HashSet<int>();
        for (var r = 0; r < ascending.Length; r++)
        {
            cumulative += Math.Exp(ascending[r].l - max) / total;
            if (cumulative > 1 - topP || r == ascending.Length - 1)
            {
                kept.Add(ascending[r].i);
            }
        }

        var tokens = Enumerable.Range(0, logits.Length).ToArray();
        var scores = (float[])logits.Clone();
        var count = new LogitsSampler(SamplingOptions.Greedy).KeepTopP(tokens, scores, topP);
        var survivors = tokens[..count].ToHashSet();
        Assert.True(scores[..count].SequenceEqual(scores[..count].OrderByDescending(s => s)), "survivors come best first");

        // Summation order differs (double, in rank order); allow the one token sitting on the boundary.
        Assert.InRange(survivors.Count, kept.Count - 1, kept.Count + 1);
        Assert.True(survivors.Count > 256, "the case must exercise the widening window");
        Assert.True(Math.Min(survivors.Count, kept.Count) - 1 <= survivors.Intersect(kept).Count());
    }

    [Fact]
    public void A_seed_makes_sampling_reproducible()
    {
        var options = new SamplingOptions { DoSample = true, Temperature = 1.5f, TopK = 0, TopP = 1f };
        var logits = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i)).ToArray();

        int[] Run(ulong seed)
        {
            var sampler = new LogitsSampler(options with { Seed = seed });
            return Enumerable.Range(0, 50).Select(_ => sampler.Next((float[])logits.Clone(), [])).ToArray();
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void Temperature_zero_is_greedy()
    {
        var sampler = new LogitsSampler(new SamplingOptions { DoSample = true, Temperature = 0f, TopK = 0, Seed = 1 });

        Assert.True(sampler.IsGreedy);
        Assert.Equal(2, sampler.Next(new[] { 0.1f, 0.2f, 0.3f }, []));
    }

    [Theory]
    [InlineData(-1, 1f, 1f)]
    [InlineData(0, 0f, 1f)]
    [InlineData(0, 1.5f, 1f)]
    [InlineData(0, 1f, 0f)]
    public void Invalid_options_are_rejected(int topK, float topP, float penalty)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogitsSampler(new SamplingOptions { TopK = topK, TopP = topP, RepetitionPenalty = penalty }));
    }

    [Fact]
    public void A_row_of_negative_infinity_is_an_error_not_a_hang()
    {
        var sampler = new LogitsSampler(new SamplingOptions { DoSample = true, TopK = 0, Seed = 1 });

        Assert.Throws<InvalidOperationException>(() => sampler.Next(new[] { float.NegativeInfinity, float.NegativeInfinity }, []));
    }
}
