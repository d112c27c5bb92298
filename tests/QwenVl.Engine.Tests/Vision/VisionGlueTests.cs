using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Vision;

/// <summary>
/// Window index, cu_seqlens and the rotary table against numpy formulations of the transformers code
/// (pads with −100, reshape/permute, masks; tests/tools/make_golden.py).
/// </summary>
public class VisionGlueTests
{
    public static TheoryData<string> GridSets() => Golden.Keys("vision", "rotary_file");

    [Theory]
    [MemberData(nameof(GridSets))]
    public void Window_index_and_boundaries_match_the_reference(string rotaryFile)
    {
        var golden = Golden.Cases("vision").Single(c => c.GetProperty("rotary_file").GetString() == rotaryFile);
        var grids = golden.GetProperty("grids").Grids();

        var windows = WindowIndex.Compute(grids, windowSize: 112, spatialMergeSize: 2, patchSize: 14);

        Assert.Equal(golden.GetProperty("window_index").Longs(), windows.WindowIndex);
        Assert.Equal(golden.GetProperty("cu_window_seqlens").Ints(), windows.CuWindowSeqlens);
        Assert.Equal(golden.GetProperty("cu_seqlens").Ints(), VisionAttentionMask.FrameBoundaries(grids));
    }

    [Theory]
    [MemberData(nameof(GridSets))]
    public void Rotary_table_matches_the_reference(string rotaryFile)
    {
        var golden = Golden.Cases("vision").Single(c => c.GetProperty("rotary_file").GetString() == rotaryFile);
        var grids = golden.GetProperty("grids").Grids();
        var expected = NpyFile.Read(Path.Combine(TestAssets.Golden, rotaryFile));

        var table = VisionRotaryTable.Build(grids, visionHeadDim: 80, spatialMergeSize: 2);

        Assert.Equal(expected.Shape, new[] { grids.Sum(g => g.PatchCount), 40 });
        var reference = expected.AsFloats();
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - table[i]) <= 1e-6f * Math.Max(1f, Math.Abs(reference[i])), $"element {i}: {reference[i]} vs {table[i]}");
        }
    }

    [Fact]
    public void Partial_windows_are_worked_by_hand()
    {
        // A 6×10-patch image is 3×5 merged tokens; 4×4 windows cover it as a 4-wide window and a 1-wide window.
        // Window 0 holds rows 0..2 × columns 0..3, window 1 rows 0..2 × column 4. Each merged token is 4 patches.
        var windows = WindowIndex.Compute([new GridThw(1, 6, 10)], 112, 2, 14);

        Assert.Equal(new long[] { 0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 4, 9, 14 }, windows.WindowIndex);
        Assert.Equal(new[] { 0, 48, 60 }, windows.CuWindowSeqlens);
    }

    [Fact]
    public void Masks_are_block_diagonal_with_zero_inside_and_negative_infinity_outside()
    {
        int[] boundaries = [0, 3, 4, 7];

        var mask = VisionAttentionMask.Create(boundaries);

        Assert.Equal(49, mask.Length);
        for (var r = 0; r < 7; r++)
        {
            for (var c = 0; c < 7; c++)
            {
                var sameBlock = Block(r) == Block(c);
                Assert.Equal(sameBlock ? 0f : float.NegativeInfinity, mask[(r * 7) + c]);
            }
        }

        static int Block(int i) => i < 3 ? 0 : i < 4 ? 1 : 2;
    }

    [Fact]
    public void Filling_a_reused_buffer_overwrites_every_element()
    {
        var buffer = Enumerable.Repeat(123f, 16).ToArray();

        VisionAttentionMask.Fill(buffer, [0, 2, 4]);

        Assert.DoesNotContain(123f, buffer);
        Assert.Equal(8, buffer.Count(v => v == 0f));
    }

    [Fact]
    public void A_mask_too_large_for_one_array_says_to_lower_the_budget()
    {
        var error = Assert.Throws<ImageInputException>(() => VisionAttentionMask.Create([0, 50_000]));

        Assert.Contains("pixel budget", error.Message, StringComparison.Ordinal);
        Assert.Equal(4L * 4988 * 4988, VisionAttentionMask.SizeInBytes(4988));
    }
}
