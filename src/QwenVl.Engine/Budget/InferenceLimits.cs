namespace QwenVl.Engine.Budget;

/// <summary>
/// How a loaded model bounds its work: the prefill chunk, the vision tower's call size, and the budget every request
/// is checked against before any work starts. Null budget values are derived from the model's config and the machine
/// (see <see cref="RequestBudget"/>).
/// </summary>
public sealed record InferenceLimits
{
    public const int DefaultPrefillChunkTokens = 512;
    public const int DefaultVisionPatchesPerCall = 4096;

    public static InferenceLimits Default { get; } = new();

    /// <summary>Prompt tokens per language-model step during prefill: attention scratch is chunk × context, not context².</summary>
    public int PrefillChunkTokens { get; init; } = DefaultPrefillChunkTokens;

    /// <summary>
    /// Patches per vision-tower call (whole frames are packed up to this; a larger frame is a call of its own). The
    /// call's two masks and its attention scores grow with the square of this.
    /// </summary>
    public int VisionPatchesPerCall { get; init; } = DefaultVisionPatchesPerCall;

    /// <summary>Prompt plus answer tokens a request may use; null: the model's context, within the memory budget.</summary>
    public int? MaxPromptTokens { get; init; }

    /// <summary>Memory one request may use, in MiB; null: half of the machine's memory.</summary>
    public int? MemoryBudgetMB { get; init; }

    /// <summary>Throws unless every value is usable.</summary>
    public InferenceLimits Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PrefillChunkTokens, 1, nameof(PrefillChunkTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(VisionPatchesPerCall, 1, nameof(VisionPatchesPerCall));
        if (MaxPromptTokens is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPromptTokens), MaxPromptTokens, "The prompt token budget must be positive.");
        }

        if (MemoryBudgetMB is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MemoryBudgetMB), MemoryBudgetMB, "The memory budget must be positive.");
        }

        return this;
    }
}
