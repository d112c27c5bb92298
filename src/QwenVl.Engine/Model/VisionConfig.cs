namespace QwenVl.Engine.Model;

/// <summary>The <c>vision_config</c> part of <c>config.json</c>.</summary>
public sealed record VisionConfig
{
    public required int Depth { get; init; }
    public required int HiddenSize { get; init; }
    public required int NumHeads { get; init; }
    public required int IntermediateSize { get; init; }
    public required int OutHiddenSize { get; init; }
    public required int PatchSize { get; init; }
    public required int TemporalPatchSize { get; init; }
    public required int SpatialMergeSize { get; init; }

    /// <summary>Window attention side in pixels (112 for Qwen2.5-VL).</summary>
    public required int WindowSize { get; init; }

    public required IReadOnlyList<int> FullAttentionBlockIndexes { get; init; }

    /// <summary>
    /// Temporal mRoPE positions per second of video. Real checkpoints say 2; the transformers class default is 4,
    /// which is why a config without the field is an error rather than silently defaulted.
    /// </summary>
    public required double TokensPerSecond { get; init; }

    public int InChannels { get; init; } = 3;

    public int HeadDim => HiddenSize / NumHeads;

    /// <summary>Patches merged into one language-model token (spatial_merge_size²).</summary>
    public int SpatialMergeUnit => SpatialMergeSize * SpatialMergeSize;
}
