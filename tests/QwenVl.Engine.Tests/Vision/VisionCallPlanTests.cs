using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Vision;

public sealed class VisionCallPlanTests
{
    [Fact]
    public void Whole_frames_are_packed_in_order_up_to_the_limit_across_items()
    {
        // An image of 48 patches, a video of 5 frames of 24, another image of 20: limit 60.
        GridThw[] grids = [new(1, 8, 6), new(5, 4, 6), new(1, 4, 5)];

        var calls = VisionCallPlan.Plan(grids, 60);

        Assert.Equal(
            new[] { "0:0+1", "1:0+2", "1:2+2", "1:4+1 2:0+1" },
            calls.Select(c => string.Join(' ', c.Slices.Select(s => $"{s.Item}:{s.FirstFrame}+{s.Frames}"))));
        Assert.All(calls, c => Assert.True(c.PatchCount <= 60));
        Assert.Equal(grids.Sum(g => g.PatchCount), calls.Sum(c => c.PatchCount));
    }

    [Fact]
    public void A_frame_larger_than_the_limit_is_a_call_of_its_own_and_never_split()
    {
        GridThw[] grids = [new(1, 4, 4), new(3, 20, 20), new(1, 4, 4)];

        var calls = VisionCallPlan.Plan(grids, 100);

        Assert.Equal(new[] { 16, 400, 400, 400, 16 }, calls.Select(c => c.PatchCount));
        Assert.Equal(400, VisionCallPlan.LargestCall(grids, 100));
        Assert.All(calls.SelectMany(c => c.Slices), s => Assert.Equal(s.ItemGrid.H * s.ItemGrid.W * s.Frames, s.PatchCount));
    }

    [Fact]
    public void An_unbounded_limit_is_the_one_call_path()
    {
        GridThw[] grids = [new(1, 8, 6), new(5, 4, 6)];

        var call = Assert.Single(VisionCallPlan.Plan(grids, int.MaxValue));

        Assert.Equal(grids, call.Grids);
    }
}
