using System.Numerics.Tensors;
using System.Security.Cryptography;

namespace QwenVl.Engine.Generation;

/// <summary>
/// Chooses the next token from one row of logits as Hugging Face <c>generate</c> does: repetition penalty over the
/// context ids, then greedy argmax, or temperature → top-k → top-p → a draw from the renormalised softmax.
/// Per token it makes a few vectorised passes over the vocabulary and sorts only the best few hundred candidates
/// (more only when top-p needs them); the model's default (top_k = 1) is one max scan. One instance serves one
/// generation: it keeps its scratch buffers and random state between steps.
/// </summary>
public sealed class LogitsSampler
{
    private const int FirstTopPWindow = 256;

    private readonly SamplingOptions _options;
    private readonly SplitMixRandom _random;
    private bool[] _seen = [];
    private int[] _tokens = [];
    private float[] _scores = [];
    private float[] _weights = [];
    private float[] _keys = [];
    private int[] _order = [];

    public LogitsSampler(SamplingOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _random = new SplitMixRandom(options.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));
    }

    /// <summary>True when this sampler always picks the argmax (so a seed makes no difference).</summary>
    public bool IsGreedy => !_options.DoSample || _options.Temperature <= 0f;

    /// <summary>
    /// Picks the next token. <paramref name="logits"/> is modified in place (penalty applied);
    /// <paramref name="contextIds"/> are the prompt and generated ids so far.
    /// </summary>
    public int Next(Span<float> logits, ReadOnlySpan<int> contextIds)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("The logits row is empty.", nameof(logits));
        }

        if (_options.RepetitionPenalty != 1f)
        {
            ApplyRepetitionPenalty(logits, contextIds, _options.RepetitionPenalty);
        }

        if (IsGreedy)
        {
            return ArgMax(logits);
        }

        EnsureCapacity(logits.Length);

        // Temperature is a positive scale: it keeps the top-k set, so it is applied to the survivors only.
        var count = SelectTopK(logits, _options.TopK, _tokens, _scores);
        var scores = _scores.AsSpan(0, count);
        TensorPrimitives.Multiply(scores, 1f / _options.Temperature, scores);
        if (_options.TopP < 1f && count > 1)
        {
            count = KeepTopP(_tokens.AsSpan(0, count), scores, _options.TopP);
        }

        return Draw(_tokens.AsSpan(0, count), _scores.AsSpan(0, count));
    }

    /// <summary>
    /// CTRL's repetition penalty as <c>RepetitionPenaltyLogitsProcessor</c> applies it: once per distinct id,
    /// logit / penalty when the logit is positive or zero, logit × penalty when negative.
    /// </summary>
    public void ApplyRepetitionPenalty(Span<float> logits, ReadOnlySpan<int> contextIds, float penalty)
    {
        if (_seen.Length < logits.Length)
        {
            _seen = new bool[logits.Length];
        }

        foreach (var id in contextIds)
        {
            if ((uint)id >= (uint)logits.Length || _seen[id])
            {
                continue;
            }

            _seen[id] = true;
            var score = logits[id];
            logits[id] = score < 0 ? score * penalty : score / penalty;
        }

        foreach (var id in contextIds)
        {
            if ((uint)id < (uint)logits.Length)
            {
                _seen[id] = false;
            }
        }
    }

    /// <summary>The first index of the largest logit (torch.argmax); NaN logits are never chosen.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        // Vectorised; its answer is only unusable when it points at a NaN, which the scalar scan below skips.
        var index = TensorPrimitives.IndexOfMax(logits);
        if (index >= 0 && !float.IsNaN(logits[index]))
        {
            return index;
        }

        var best = 0;
        var max = logits[0];
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > max)
            {
                max = logits[i];
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// <c>TopPLogitsWarper</c> on candidates: a token survives when the probability of the tokens ranked above it
    /// is below p (the most likely one always does). Only the best 256 candidates are sorted at first, then 4,096,
    /// then all, until the sorted head covers mass p. Survivors are moved to the front, best first; returns their count.
    /// </summary>
    internal int KeepTopP(Span<int> tokens, Span<float> scores, float topP)
    {
        var n = scores.Length;
        EnsureCapacity(n);
        var max = TensorPrimitives.Max(scores);
        var weights = _weights.AsSpan(0, n);
        TensorPrimitives.Subtract(scores, max, weights);
        TensorPrimitives.Exp(weights, weights);
        double total = TensorPrimitives.Sum(weights);

        var window = Math.Min(FirstTopPWindow, n);
        while (true)
        {
            // Move every candidate at least as good as the window-th best to the front (ties included).
            var threshold = window >= n ? float.NegativeInfinity : KthLargest(scores, window);
            var front = 0;
            for (var i = 0; i < n; i++)
            {
                if (scores[i] >= threshold)
                {
                    (tokens[front], tokens[i]) = (tokens[i], tokens[front]);
                    (scores[front], scores[i]) = (scores[i], scores[front]);
                    (weights[front], weights[i]) = (weights[i], weights[front]);
                    front++;
                }
            }

            // Sort the front best first: primitive keys (negated scores) with positions as items.
            var keys = _keys.AsSpan(0, front);
            var order = _order.AsSpan(0, front);
            TensorPrimitives.Negate(scores[..front], keys);
            for (var i = 0; i < front; i++)
            {
                order[i] = i;
            }

            keys.Sort(order);
            var above = 0.0;
            var kept = front;
            for (var r = 0; r < front; r++)
            {
                if (above >= topP)
                {
                    kept = r;
                    break;
                }

                above += weights[order[r]] / total;
            }

            if (kept < front || front == n)
            {
                // Apply the permutation to the survivors only.
                var keptTokens = new int[kept];
                var keptScores = new float[kept];
                for (var r = 0; r < kept; r++)
                {
                    keptTokens[r] = tokens[order[r]];
                    keptScores[r] = scores[order[r]];
                }

                keptTokens.CopyTo(tokens);
                keptScores.CopyTo(scores);
                return kept;
            }

            window = window * 16 * 8 > n ? n : window * 16;
        }
    }

    private void EnsureCapacity(int vocabulary)
    {
        if (_tokens.Length < vocabulary)
        {
            _tokens = new int[vocabulary];
            _scores = new float[vocabulary];
            _weights = new float[vocabulary];
            _keys = new float[vocabulary];
            _order = new int[vocabulary];
        }
    }

    /// <summary>
    /// Copies every token whose logit is at least the k-th largest (all when k is 0 or ≥ V; ties with the k-th kept,
    /// as <c>TopKLogitsWarper</c> keeps them) into <paramref name="tokens"/>/<paramref name="scores"/>.
    /// </summary>
    private static int SelectTopK(ReadOnlySpan<float> logits, int k, int[] tokens, float[] scores)
    {
        var threshold = k <= 0 || k >= logits.Length ? float.NegativeInfinity
            : k == 1 ? logits[ArgMax(logits)]
            : KthLargest(logits, k);

        var count = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            // −∞ (masked) logits have zero probability and never survive; NaN fails the comparison.
            if (logits[i] >= threshold && !float.IsNegativeInfinity(logits[i]))
            {
                tokens[count] = i;
                scores[count++] = logits[i];
            }
        }

        if (count == 0)
        {
            throw new InvalidOperationException("Every logit is −∞ or NaN; the model produced no usable distribution.");
        }

        return count;
    }

    /// <summary>A draw from the softmax of <paramref name="scores"/>.</summary>
    private int Draw(ReadOnlySpan<int> tokens, Span<float> scores)
    {
        var weights = _weights.AsSpan(0, scores.Length);
        TensorPrimitives.Subtract(scores, TensorPrimitives.Max(scores), weights);
        TensorPrimitives.Exp(weights, weights);
        var target = _random.NextDouble() * TensorPrimitives.Sum(weights);
        var cumulative = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (target < cumulative)
            {
                return tokens[i];
            }
        }

        return tokens[^1];
    }

    /// <summary>
    /// The k-th largest value, with a k-entry min-heap: one pass whose comparison against the heap's minimum is
    /// almost always false after the first few thousand values, so it predicts well (a quickselect over 150,000
    /// random logits mispredicts on every element).
    /// </summary>
    private static float KthLargest(ReadOnlySpan<float> values, int k)
    {
        var heap = k <= 1024 ? stackalloc float[k] : new float[k];
        for (var i = 0; i < k; i++)
        {
            heap[i] = float.NegativeInfinity;
        }

        foreach (var v in values)
        {
            if (v > heap[0])
            {
                heap[0] = v;
                SiftDown(heap);
            }
        }

        return heap[0];
    }

    private static void SiftDown(Span<float> heap)
    {
        var i = 0;
        var value = heap[0];
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= heap.Length)
            {
                break;
            }

            if (child + 1 < heap.Length && heap[child + 1] < heap[child])
            {
                child++;
            }

            if (heap[child] >= value)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = value;
    }
}
