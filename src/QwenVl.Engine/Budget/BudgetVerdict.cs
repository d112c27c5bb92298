namespace QwenVl.Engine.Budget;

/// <summary>How a request stands against the budget: its cost, whether it fits, whether it is close, and why not.</summary>
public sealed record BudgetVerdict(RequestCost Cost, int ContextTokens, int MaxContextTokens, string? Refusal)
{
    /// <summary>From this share of the token budget on, the page warns.</summary>
    public const double NearShare = 0.9;

    public bool Fits => Refusal is null;

    public bool IsNear => Fits && ContextTokens >= NearShare * MaxContextTokens;
}
