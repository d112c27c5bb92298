namespace QwenVl.Engine.Generation;

/// <summary>One request's settings.</summary>
public sealed record GenerationOptions
{
    /// <summary>Stop after this many new tokens (the Gradio demo uses 512).</summary>
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>How tokens are chosen; null takes the model's generation_config.json.</summary>
    public SamplingOptions? Sampling { get; init; }
}
