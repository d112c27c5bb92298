using QwenVl.Engine.Budget;
using QwenVl.Engine.Model;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Budget;

/// <summary>The budget at the real Qwen2.5-VL-3B dimensions (the released config.json).</summary>
public sealed class RequestBudgetTests
{
    private const long GiB = 1024L * 1024 * 1024;
    private static readonly QwenVlConfig Config = ModelFolder.Load(TestAssets.ModelFolder).Config;

    [Fact]
    public void The_context_is_the_models_unless_memory_or_the_owner_says_less()
    {
        var roomy = new RequestBudget(Config, InferenceLimits.Default, lastLogitsOnly: true, machineMemoryBytes: 1024 * GiB);
        var small = new RequestBudget(Config, InferenceLimits.Default, lastLogitsOnly: true, machineMemoryBytes: 8 * GiB);
        var owner = new RequestBudget(Config, InferenceLimits.Default with { MaxPromptTokens = 8000 }, lastLogitsOnly: true, machineMemoryBytes: 1024 * GiB);

        Assert.Equal(Config.Text.MaxPositionEmbeddings, roomy.MaxContextTokens);
        Assert.InRange(small.MaxContextTokens, 1000, Config.Text.MaxPositionEmbeddings - 1);
        Assert.Contains("memory budget of 4,096 MiB", small.MaxContextReason, StringComparison.Ordinal);
        Assert.True(small.Estimate(Text(small.MaxContextTokens)).PeakBytes <= small.MemoryBudgetBytes);
        Assert.True(small.Estimate(Text(small.MaxContextTokens + 1)).PeakBytes > small.MemoryBudgetBytes);
        Assert.Equal(8000, owner.MaxContextTokens);
    }

    [Fact]
    public void Text_costs_grow_linearly_with_the_context()
    {
        var budget = new RequestBudget(Config, InferenceLimits.Default, lastLogitsOnly: true, machineMemoryBytes: 64 * GiB);
        long Peak(int tokens) => budget.Estimate(Text(tokens)).PeakBytes;

        Assert.Equal(Peak(8000) - Peak(4000), Peak(12000) - Peak(8000));
        Assert.Equal(Peak(8000) - Peak(4000), Peak(16000) - Peak(12000));
    }

    [Fact]
    public void A_longer_video_costs_more_data_but_not_a_larger_vision_call()
    {
        // 640×360 at 2 fps: frames of 644×364 → 46×26 patches; 10, 20, 40 s are 10, 20, 40 temporal patches.
        var budget = new RequestBudget(Config, InferenceLimits.Default, lastLogitsOnly: true, machineMemoryBytes: 64 * GiB);
        RequestCost Clip(int seconds) => budget.Estimate(new PromptShape(seconds * 299, [], [new GridThw(seconds, 26, 46)], 512));

        var (ten, twenty, forty) = (Clip(10), Clip(20), Clip(40));

        Assert.Equal(ten.VisionCallBytes, forty.VisionCallBytes);
        Assert.True(ten.LargestVisionCallPatches <= InferenceLimits.DefaultVisionPatchesPerCall);
        Assert.Equal(twenty.VisionDataBytes - ten.VisionDataBytes, (forty.VisionDataBytes - twenty.VisionDataBytes) / 2);
    }

    [Fact]
    public void Over_the_tokens_the_refusal_says_by_how_much_and_what_to_change()
    {
        var budget = new RequestBudget(Config, InferenceLimits.Default with { MaxPromptTokens = 4096 }, lastLogitsOnly: true, machineMemoryBytes: 64 * GiB);

        var verdict = budget.Check(new PromptShape(5000, [], [new GridThw(20, 26, 46)], 512));

        Assert.False(verdict.Fits);
        Assert.Equal("This request needs 5,000 prompt tokens and up to 512 for the answer (5,512 in all), over this server's limit of 4,096 tokens. "
            + "Try fewer video frames (a lower video rate or a shorter clip; the videos take 5,980 tokens).", verdict.Refusal);
        var exception = Assert.Throws<RequestBudgetException>(() => budget.EnsureFits(new PromptShape(5000, [], [], 512)));
        Assert.Contains("a new conversation", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_too_large_for_memory_is_refused_with_the_image_budget_to_lower()
    {
        // 16,384 tokens in one image: a 65,536-patch frame, whose masks alone are 2 × 16 GiB.
        var budget = new RequestBudget(Config, InferenceLimits.Default, lastLogitsOnly: true, machineMemoryBytes: 24 * GiB);

        var verdict = budget.Check(new PromptShape(16_400, [new GridThw(1, 256, 256)], [], 512));

        Assert.False(verdict.Fits);
        Assert.Contains("over the memory budget of 12,288 MiB", verdict.Refusal, StringComparison.Ordinal);
        Assert.Contains("65,536 patches is encoded in one piece", verdict.Refusal, StringComparison.Ordinal);
        Assert.Contains("lower the image budget", verdict.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_to_the_limit_is_near_and_still_fits()
    {
        var budget = new RequestBudget(Config, InferenceLimits.Default with { MaxPromptTokens = 1000 }, lastLogitsOnly: true, machineMemoryBytes: 64 * GiB);

        Assert.True(budget.Check(Text(950)).IsNear);
        Assert.True(budget.Check(Text(950)).Fits);
        Assert.False(budget.Check(Text(500)).IsNear);
    }

    private static PromptShape Text(int contextTokens) => new(contextTokens - 1, [], [], 1);
}
