using System.Globalization;
using QwenVl.Engine.Model;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Budget;

/// <summary>
/// What a request may cost on this model and machine, checked before any work starts. The token budget is the
/// model's context (<c>max_position_embeddings</c>), lowered to <see cref="InferenceLimits.MaxPromptTokens"/> when set
/// and to what the memory budget can hold; the memory estimate (<see cref="Estimate"/>) follows the engine's own
/// buffers: the KV cache (a step holds past and present), one prefill chunk's attention scores over the context and its
/// logits, the vision tower's largest call (two masks and the scores of every head, each n²), and the pixel values and
/// merged features of the whole prompt. All of it is linear in the input except the vision call, which the call plan
/// bounds. Float32 throughout, as our graphs compute; a real INT4/FP16 export costs less, never more.
/// </summary>
public sealed class RequestBudget
{
    private const long Float = sizeof(float);
    private readonly TextConfig _text;
    private readonly VisionConfig _vision;
    private readonly InferenceLimits _limits;
    private readonly bool _lastLogitsOnly;

    public RequestBudget(QwenVlConfig config, InferenceLimits limits, bool lastLogitsOnly, long? machineMemoryBytes = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(limits);
        _text = config.Text;
        _vision = config.Vision;
        _limits = limits.Validated();
        _lastLogitsOnly = lastLogitsOnly;
        // Where the runtime cannot tell the machine's memory (it reports 0), assume a modest 16 GiB machine.
        var machine = machineMemoryBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        MemoryBudgetBytes = limits.MemoryBudgetMB is { } mb ? mb * 1024L * 1024 : (machine > 0 ? machine : 16L << 30) / 2;

        var context = _text.MaxPositionEmbeddings;
        MaxContextReason = $"the model's context of {context:N0} tokens";
        if (limits.MaxPromptTokens is { } configured && configured < context)
        {
            context = configured;
            MaxContextReason = $"this server's limit of {context:N0} tokens";
        }

        var memory = LargestContextInMemory(context);
        if (memory < context)
        {
            context = memory;
            MaxContextReason = $"the {context:N0} tokens that fit the memory budget of {Mib(MemoryBudgetBytes)} MiB";
        }

        MaxContextTokens = context;
    }

    public long MemoryBudgetBytes { get; }

    /// <summary>Prompt plus answer tokens a request may use.</summary>
    public int MaxContextTokens { get; }

    /// <summary>Where <see cref="MaxContextTokens"/> comes from, in words.</summary>
    public string MaxContextReason { get; }

    public InferenceLimits Limits => _limits;

    public RequestCost Estimate(PromptShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var merge = _vision.SpatialMergeSize;
        var context = (long)shape.ContextTokens;
        var chunk = Math.Clamp(Math.Min(_limits.PrefillChunkTokens, shape.PromptTokens), 1, int.MaxValue);
        var grids = shape.ImageGrids.Concat(shape.VideoGrids).ToArray();
        var largest = Math.Max(VisionCallPlan.LargestCall(shape.ImageGrids, _limits.VisionPatchesPerCall), VisionCallPlan.LargestCall(shape.VideoGrids, _limits.VisionPatchesPerCall));
        var patchDim = (long)_vision.InChannels * _vision.TemporalPatchSize * _vision.PatchSize * _vision.PatchSize;
        return new RequestCost
        {
            ContextTokens = shape.ContextTokens,
            KvCacheBytes = KvBytesPerToken * context,
            PrefillChunkBytes = PrefillChunkBytes(chunk, context),
            LargestVisionCallPatches = largest,
            VisionCallBytes = VisionCallBytes(largest),
            VisionDataBytes = (grids.Sum(g => (long)g.PatchCount) * patchDim * Float) + (grids.Sum(g => (long)g.TokenCount(merge)) * _text.HiddenSize * Float),
        };
    }

    /// <summary>Whether <paramref name="shape"/> fits, and if not, why and what to change.</summary>
    public BudgetVerdict Check(PromptShape shape)
    {
        var cost = Estimate(shape);
        return new BudgetVerdict(cost, shape.ContextTokens, MaxContextTokens, Refusal(shape, cost));
    }

    /// <exception cref="RequestBudgetException">The request is over the budget.</exception>
    public void EnsureFits(PromptShape shape)
    {
        if (Check(shape).Refusal is { } refusal)
        {
            throw new RequestBudgetException(refusal);
        }
    }

    private long KvBytesPerToken => 2L * 2 * _text.NumHiddenLayers * _text.NumKeyValueHeads * _text.HeadDim * Float;

    private long PrefillChunkBytes(long chunk, long context) =>
        (2 * chunk * context * _text.NumAttentionHeads * Float) // scores and their softmax, one layer at a time
        + (2 * context * _text.NumAttentionHeads * _text.HeadDim * Float) // keys and values repeated for every query head
        + (chunk * ((3L * _text.IntermediateSize) + (8L * _text.HiddenSize)) * Float) // MLP and residual activations
        + ((_lastLogitsOnly ? 1 : chunk) * _text.VocabSize * Float);

    private long VisionCallBytes(long patches) => patches == 0 ? 0
        : (patches * patches * Float * (2 + (2L * _vision.NumHeads))) // two masks, scores and softmax of every head
          + (patches * ((3L * _vision.IntermediateSize) + (8L * _vision.HiddenSize)) * Float);

    private int LargestContextInMemory(int limit)
    {
        long Text(int context) => (KvBytesPerToken * context) + PrefillChunkBytes(Math.Min(_limits.PrefillChunkTokens, context), context);
        if (Text(limit) <= MemoryBudgetBytes)
        {
            return limit;
        }

        int low = 0, high = limit;
        while (low < high)
        {
            var mid = low + ((high - low + 1) / 2);
            if (Text(mid) <= MemoryBudgetBytes)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    private string? Refusal(PromptShape shape, RequestCost cost)
    {
        var merge = _vision.SpatialMergeSize;
        var images = shape.ImageTokens(merge);
        var videos = shape.VideoTokens(merge);
        if (shape.ContextTokens > MaxContextTokens)
        {
            var advice = new List<string>();
            if (videos > 0)
            {
                advice.Add($"fewer video frames (a lower video rate or a shorter clip; the videos take {videos:N0} tokens)");
            }

            if (images > 0)
            {
                advice.Add($"fewer images or a smaller image budget (the images take {images:N0} tokens)");
            }

            var text = shape.PromptTokens - images - videos;
            if (text > MaxContextTokens / 4)
            {
                advice.Add($"shorter text or a new conversation (the text takes {text:N0} tokens)");
            }

            if (shape.MaxNewTokens > MaxContextTokens / 4)
            {
                advice.Add("fewer answer tokens");
            }

            return $"This request needs {shape.PromptTokens:N0} prompt tokens and up to {shape.MaxNewTokens:N0} for the answer "
                + $"({shape.ContextTokens:N0} in all), over {MaxContextReason}."
                + (advice.Count > 0 ? $" Try {string.Join(", or ", advice)}." : string.Empty);
        }

        if (cost.PeakBytes > MemoryBudgetBytes)
        {
            var why = cost.VisionCallBytes >= cost.PrefillChunkBytes && cost.VisionCallBytes > cost.KvCacheBytes
                ? $" An image or video frame of {cost.LargestVisionCallPatches:N0} patches is encoded in one piece ({Mib(cost.VisionCallBytes)} MiB); lower the image budget (tokens per image) or send a smaller video."
                : " Try fewer images or video frames, or a new conversation.";
            return $"This request would need about {Mib(cost.PeakBytes)} MiB, over the memory budget of {Mib(MemoryBudgetBytes)} MiB.{why}";
        }

        return null;
    }

    private static string Mib(long bytes) => (bytes / (1024 * 1024)).ToString("N0", CultureInfo.InvariantCulture);
}
