using QwenVl.Engine.Model;

namespace QwenVl.Engine.Generation;

/// <summary>
/// How the next token is chosen, with Hugging Face <c>generate</c> semantics: repetition penalty over the prompt
/// and generated ids, then (when sampling) temperature, top-k and top-p, then a draw from the softmax.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>False: greedy (argmax after the repetition penalty). True: sample.</summary>
    public bool DoSample { get; init; }

    /// <summary>Divides the logits when sampling; 0 or less means greedy (as chat APIs use it; HF would refuse it).</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Keep the k most likely tokens (ties with the k-th included); 0 disables.</summary>
    public int TopK { get; init; } = 50;

    /// <summary>Keep the most likely tokens whose probability mass reaches p (at least one); 1 disables.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>CTRL's penalty: logits of tokens already in the context are divided by it if positive, multiplied if negative; 1 disables.</summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>Seed for reproducible sampling; null draws a fresh one.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Greedy with no penalty.</summary>
    public static SamplingOptions Greedy { get; } = new() { DoSample = false, TopK = 0 };

    /// <summary>The model's own defaults (what the notebook gets by passing no sampling arguments).</summary>
    public static SamplingOptions FromGenerationConfig(GenerationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SamplingOptions
        {
            DoSample = config.DoSample,
            Temperature = (float)config.Temperature,
            TopK = config.TopK,
            TopP = (float)config.TopP,
            RepetitionPenalty = (float)config.RepetitionPenalty,
        };
    }

    /// <summary>
    /// A request's settings over the model's defaults: when it sets none of temperature, top-p and top-k, the
    /// generation_config.json values apply (as in HF <c>generate</c>); when it sets any, the unset ones are neutral
    /// (temperature 1, top-k off, top-p 1) and temperature 0 means greedy. Penalty and seed apply either way.
    /// </summary>
    public static SamplingOptions ForRequest(GenerationConfig config, float? temperature, float? topP, int? topK, float? repetitionPenalty, ulong? seed)
    {
        var defaults = FromGenerationConfig(config);
        var sampling = temperature is null && topP is null && topK is null ? defaults : new SamplingOptions
        {
            DoSample = (temperature ?? 1f) > 0,
            Temperature = temperature ?? 1f,
            TopK = topK ?? 0,
            TopP = topP ?? 1f,
            RepetitionPenalty = defaults.RepetitionPenalty,
        };
        return sampling with { RepetitionPenalty = repetitionPenalty ?? sampling.RepetitionPenalty, Seed = seed };
    }

    /// <summary>Throws when a value is outside what the processors accept.</summary>
    public void Validate()
    {
        if (TopK < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top_k must be 0 (off) or positive.");
        }

        if (!(TopP > 0f && TopP <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must be in (0, 1].");
        }

        if (!(RepetitionPenalty > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "repetition_penalty must be positive.");
        }

        if (float.IsNaN(Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be a number.");
        }
    }
}
