namespace QwenVl.Engine.Model;

/// <summary>
/// Typed view of <c>generation_config.json</c>. Absent fields take the Hugging Face <c>GenerationConfig</c> defaults,
/// because that is what <c>model.generate</c> uses when the file is silent.
/// </summary>
public sealed record GenerationConfig
{
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? BosTokenId { get; init; }
    public int? PadTokenId { get; init; }
    public bool DoSample { get; init; }
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 1.0;
    public int TopK { get; init; } = 50;
    public double RepetitionPenalty { get; init; } = 1.0;
    public int? MaxNewTokens { get; init; }
}
