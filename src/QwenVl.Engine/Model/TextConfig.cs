namespace QwenVl.Engine.Model;

/// <summary>The language-model part of <c>config.json</c> (top level, or <c>text_config</c> in newer exports).</summary>
public sealed record TextConfig
{
    public required int HiddenSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int IntermediateSize { get; init; }
    public required int VocabSize { get; init; }
    public required double RopeTheta { get; init; }
    public required double RmsNormEps { get; init; }
    public required int MaxPositionEmbeddings { get; init; }
    public required bool TieWordEmbeddings { get; init; }

    /// <summary>mRoPE split of head_dim/2 into (temporal, height, width) frequency bands, e.g. [16, 24, 24].</summary>
    public required IReadOnlyList<int> MropeSection { get; init; }

    public int HeadDim => HiddenSize / NumAttentionHeads;
}
