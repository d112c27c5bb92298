using QwenVl.Engine.Model;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Text;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Text;

public class RopeIndexTests
{
    private static readonly SpecialTokenIds Ids = new() { ImageTokenId = 151655, VideoTokenId = 151656, VisionStartTokenId = 151652, VisionEndTokenId = 151653 };

    public static TheoryData<string> CaseNames() => Golden.Keys("rope_index");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Positions_and_delta_match_the_reference(string name)
    {
        // Reference: a numpy formulation of get_rope_index with float32 time arithmetic (tests/tools/make_golden.py).
        var golden = Golden.Case("rope_index", name);
        var ids = golden.GetProperty("input_ids").Ints();
        var secs = golden.GetProperty("second_per_grid").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var videos = golden.GetProperty("video_grids").Grids().Select((g, i) => new VideoGrid(g, secs[i])).ToArray();

        var result = RopeIndex.Compute(ids, Ids, golden.GetProperty("image_grids").Grids(), videos, spatialMergeSize: 2, tokensPerSecond: 2);

        var expected = golden.GetProperty("position_ids").EnumerateArray().SelectMany(row => row.Longs()).ToArray();
        Assert.Equal(expected, result.PositionIds);
        Assert.Equal(golden.GetProperty("rope_delta").GetInt64(), result.RopeDelta);
    }

    [Fact]
    public void The_demo_image_is_worked_as_in_the_spec()
    {
        // 58×86 patches → 29×43 merged tokens (1247 pads) starting at index s: t = s, h = s+y, w = s+x;
        // <|vision_end|> continues at s + 43 and rope_delta = 43 − 1247 = −1204.
        const int s = 15;
        var ids = new List<int>(Enumerable.Range(1, s - 1)) { Ids.VisionStartTokenId };
        ids.AddRange(Enumerable.Repeat(Ids.ImageTokenId, 1247));
        ids.Add(Ids.VisionEndTokenId);
        ids.AddRange([7, 8, 9]);

        var result = RopeIndex.Compute(ids.ToArray(), Ids, [new GridThw(1, 58, 86)], [], 2, 2);

        Assert.Equal((s, s, s), (result[0, s], result[1, s], result[2, s]));
        var last = s + 1246;
        Assert.Equal((s, s + 28, s + 42), (result[0, last], result[1, last], result[2, last]));
        Assert.Equal((s + 43L, s + 43L, s + 43L), (result[0, last + 1], result[1, last + 1], result[2, last + 1]));
        Assert.Equal(-1204, result.RopeDelta);
    }

    [Fact]
    public void Video_time_multiplies_before_truncating()
    {
        // second_per_grid 0.5 (4 fps sampling) with tokens_per_second 2: frame t sits at t·0.5·2 = t.
        // The transformers releases that cast 0.5 to int first would put every frame at 0.
        var ids = new List<int> { 1, Ids.VisionStartTokenId };
        ids.AddRange(Enumerable.Repeat(Ids.VideoTokenId, 3));
        ids.Add(Ids.VisionEndTokenId);

        var result = RopeIndex.Compute(ids.ToArray(), Ids, [], [new VideoGrid(new GridThw(3, 2, 2), 0.5)], 2, 2);

        Assert.Equal(new long[] { 2, 3, 4 }, new[] { result[0, 2], result[0, 3], result[0, 4] });
    }

    [Fact]
    public void Video_time_is_computed_in_float32_like_the_torch_tensors()
    {
        // 45 × 0.7f × 2 = 63.0000… in float32 but 62.999… in float64: HF's float32 tensors give 63.
        var ids = new List<int> { Ids.VisionStartTokenId };
        ids.AddRange(Enumerable.Repeat(Ids.VideoTokenId, 46));
        ids.Add(Ids.VisionEndTokenId);

        var result = RopeIndex.Compute(ids.ToArray(), Ids, [], [new VideoGrid(new GridThw(46, 2, 2), 0.7)], 2, 2);

        Assert.Equal(1 + 63, result[0, 1 + 45]);
    }

    [Fact]
    public void Text_only_prompts_count_up_on_all_axes_with_zero_delta()
    {
        var result = RopeIndex.Compute([5, 6, 7, 8], Ids, [], [], 2, 2);

        Assert.Equal(new long[] { 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3 }, result.PositionIds);
        Assert.Equal(0, result.RopeDelta);
    }
}
