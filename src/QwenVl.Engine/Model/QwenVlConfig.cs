namespace QwenVl.Engine.Model;

/// <summary>Typed view of a Qwen2.5-VL <c>config.json</c>.</summary>
public sealed record QwenVlConfig
{
    public required string ModelType { get; init; }
    public required TextConfig Text { get; init; }
    public required VisionConfig Vision { get; init; }
    public required SpecialTokenIds Tokens { get; init; }
}
