namespace QwenVl.Engine.Budget;

/// <summary>
/// The estimated peak memory of one request, by part (bytes). The vision calls run before the prefill, so the peak
/// is the larger of the two on top of what both hold: the KV cache, the pixel values and the merged features.
/// </summary>
public sealed record RequestCost
{
    /// <summary>Prompt plus answer tokens.</summary>
    public required int ContextTokens { get; init; }

    /// <summary>Keys and values of every layer for the whole context (a step holds its past and its present).</summary>
    public required long KvCacheBytes { get; init; }

    /// <summary>One prefill chunk: attention scores over the context, MLP activations, its logits.</summary>
    public required long PrefillChunkBytes { get; init; }

    /// <summary>Patches of the largest vision-tower call.</summary>
    public required int LargestVisionCallPatches { get; init; }

    /// <summary>That call: its two masks, its attention scores and activations.</summary>
    public required long VisionCallBytes { get; init; }

    /// <summary>Pixel values and merged features of all images and videos, held through the request.</summary>
    public required long VisionDataBytes { get; init; }

    public long PeakBytes => KvCacheBytes + VisionDataBytes + Math.Max(PrefillChunkBytes, VisionCallBytes);
}
