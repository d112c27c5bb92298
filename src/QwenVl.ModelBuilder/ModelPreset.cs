using QwenVl.Engine.Model;

namespace QwenVl.ModelBuilder;

/// <summary>
/// Dimensions of a generated Qwen2.5-VL. Structure is the real one (vision blocks with windowed and full attention,
/// 2×2 merger, GQA decoder with mRoPE, tied embeddings, the full 151,936-id vocabulary); only the widths shrink.
/// </summary>
public sealed record ModelPreset
{
    public required string Name { get; init; }

    // Vision tower.
    public required int VisionHidden { get; init; }
    public required int VisionHeads { get; init; }
    public required int VisionDepth { get; init; }
    public required int VisionIntermediate { get; init; }
    public required int[] FullAttentionBlocks { get; init; }

    /// <summary>Window attention side in pixels; 56 = 2×2 merged tokens, so small test images have several windows.</summary>
    public required int WindowSize { get; init; }

    // Language model.
    public required int TextHidden { get; init; }
    public required int TextHeads { get; init; }
    public required int TextKeyValueHeads { get; init; }
    public required int TextLayers { get; init; }
    public required int TextIntermediate { get; init; }
    public required int[] MropeSection { get; init; }

    public int VocabularySize { get; init; } = 151_936;
    public int PatchSize { get; init; } = 14;
    public int TemporalPatchSize { get; init; } = 2;
    public int SpatialMergeSize { get; init; } = 2;
    public double RopeTheta { get; init; } = 1_000_000;
    public float RmsNormEps { get; init; } = 1e-6f;
    public int TokensPerSecond { get; init; } = 2;

    public int VisionHeadDim => VisionHidden / VisionHeads;
    public int TextHeadDim => TextHidden / TextHeads;
    public int PatchDim => 3 * TemporalPatchSize * PatchSize * PatchSize;

    /// <summary>A few MB of graphs (the embedding table dominates): fast enough for unit tests.</summary>
    public static ModelPreset Tiny { get; } = new()
    {
        Name = "tiny",
        VisionHidden = 32,
        VisionHeads = 2,
        VisionDepth = 2,
        VisionIntermediate = 48,
        FullAttentionBlocks = [1],
        WindowSize = 56,
        TextHidden = 16,
        TextHeads = 2,
        TextKeyValueHeads = 1,
        TextLayers = 2,
        TextIntermediate = 32,
        MropeSection = [1, 1, 2],
    };

    /// <summary>A few hundred MB: for benchmarks, where per-token runtime cost should not be negligible.</summary>
    public static ModelPreset Small { get; } = new()
    {
        Name = "small",
        VisionHidden = 128,
        VisionHeads = 4,
        VisionDepth = 4,
        VisionIntermediate = 256,
        FullAttentionBlocks = [1, 3],
        WindowSize = 112,
        TextHidden = 256,
        TextHeads = 4,
        TextKeyValueHeads = 2,
        TextLayers = 4,
        TextIntermediate = 688,
        MropeSection = [8, 12, 12],
    };

    /// <summary>The vision_config the writer emits for this preset.</summary>
    public VisionConfig ToVisionConfig() => new()
    {
        Depth = VisionDepth,
        HiddenSize = VisionHidden,
        NumHeads = VisionHeads,
        IntermediateSize = VisionIntermediate,
        OutHiddenSize = TextHidden,
        PatchSize = PatchSize,
        TemporalPatchSize = TemporalPatchSize,
        SpatialMergeSize = SpatialMergeSize,
        WindowSize = WindowSize,
        FullAttentionBlockIndexes = FullAttentionBlocks,
        TokensPerSecond = TokensPerSecond,
    };

    public static ModelPreset ByName(string name) => name.ToLowerInvariant() switch
    {
        "tiny" => Tiny,
        "small" => Small,
        _ => throw new ArgumentException($"Unknown preset '{name}'; use 'tiny' or 'small'.", nameof(name)),
    };
}
