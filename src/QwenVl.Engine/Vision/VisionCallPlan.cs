namespace QwenVl.Engine.Vision;

/// <summary>
/// Cuts the vision work of a prompt into calls whose patch counts fit <c>maxPatchesPerCall</c>: whole temporal
/// patches (frames) are packed greedily, in prompt order, across images and videos' frame groups. A frame is never
/// split (its patches attend to each other), so a frame larger than the limit is a call of its own. The merged
/// features of the calls, concatenated, equal those of one call over everything, while each call's masks are
/// <c>n_call²</c> instead of <c>N_total²</c>.
/// </summary>
public static class VisionCallPlan
{
    public static IReadOnlyList<VisionCall> Plan(IReadOnlyList<GridThw> grids, int maxPatchesPerCall)
    {
        ArgumentNullException.ThrowIfNull(grids);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPatchesPerCall, 1);
        var calls = new List<VisionCall>();
        var current = new List<VisionSlice>();
        var patches = 0;
        for (var item = 0; item < grids.Count; item++)
        {
            var grid = grids[item];
            var frame = grid.H * grid.W;
            var t = 0;
            while (t < grid.T)
            {
                var room = (maxPatchesPerCall - patches) / frame;
                if (room <= 0 && current.Count > 0)
                {
                    calls.Add(new VisionCall(current));
                    current = [];
                    patches = 0;
                    continue;
                }

                var frames = Math.Min(Math.Max(room, 1), grid.T - t);
                current.Add(new VisionSlice(item, grid, t, frames));
                patches += frames * frame;
                t += frames;
            }
        }

        if (current.Count > 0)
        {
            calls.Add(new VisionCall(current));
        }

        return calls;
    }

    /// <summary>The patches of the largest call the plan makes: what bounds the vision tower's memory.</summary>
    public static int LargestCall(IReadOnlyList<GridThw> grids, int maxPatchesPerCall) =>
        grids.Count == 0 ? 0 : Plan(grids, maxPatchesPerCall).Max(c => c.PatchCount);
}
