using QwenVl.Engine.Chat;
using QwenVl.Engine.Model;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Processing;

/// <summary>
/// A prompt with an image and a video, on the real 3B configuration (tokens_per_second 2, spatial merge 2). Expected
/// positions are worked by hand from transformers' get_rope_index (docs: qwen25vl-pipeline.md §7.4).
/// </summary>
public sealed class VideoPromptTests
{
    private static readonly QwenVlProcessor Processor = QwenVlProcessor.Load(ModelFolder.Load(TestAssets.ModelFolder));

    [Theory]
    [InlineData(1.0, new long[] { 0, 4 })]   // 4 frames of 4 s sampled at 1 fps: a temporal patch spans 2 s → t = ⌊tt·2·2⌋.
    [InlineData(2.0, new long[] { 0, 2 })]   // at 2 fps it spans 1 s → t = tt·2.
    [InlineData(0.5, new long[] { 0, 8 })]
    public void Video_positions_advance_by_seconds_per_grid_times_tokens_per_second(double sampleFps, long[] temporal)
    {
        var image = Solid(56, 56, 200);
        var video = Clip(sampleFps, 56, 56);
        PromptTurn[] turns = [PromptTurn.User(PromptItem.Image, PromptItem.Video, PromptItem.FromText("Compare."))];

        var prompt = Processor.Prepare(turns, [image], [video], PixelBudget.FromTokens(4, 1280));

        var tokens = Processor.Folder.Config.Tokens;
        var ids = prompt.InputIds;
        Assert.Equal(4, ids.Count(i => i == tokens.ImageTokenId));   // 56×56 image: grid 1×4×4, merged 2×2.
        Assert.Equal(8, ids.Count(i => i == tokens.VideoTokenId));   // 4 frames of 56×56: grid 2×4×4, merged 2×2×2.
        Assert.Equal(new GridThw(2, 4, 4), prompt.Videos[0].Grid);
        Assert.Equal(2 / sampleFps, prompt.Videos[0].SecondsPerGrid, 12);

        var p = prompt.Positions;
        var s = Array.IndexOf(ids, tokens.ImageTokenId);
        // Text before the image: 0 … s−1 on all axes.
        Assert.Equal((s - 1, s - 1, s - 1), (p[0, s - 1], p[1, s - 1], p[2, s - 1]));
        // Image block: (s, s + y, s + x).
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal((s, s + (k / 2), s + (k % 2)), (p[0, s + k], p[1, s + k], p[2, s + k]));
        }

        // <|vision_end|><|vision_start|> continue from the image's maximum + 1 = s + 2.
        Assert.Equal(s + 2, p[0, s + 4]);
        var v = Array.IndexOf(ids, tokens.VideoTokenId);
        Assert.Equal(s + 6, v);
        var start = s + 4;   // st_idx for the video block.
        for (var k = 0; k < 8; k++)
        {
            var (tt, y, x) = (k / 4, k % 4 / 2, k % 2);
            Assert.Equal((start + temporal[tt], start + y, start + x), (p[0, v + k], p[1, v + k], p[2, v + k]));
        }

        // The text after the video continues from the block's maximum + 1.
        var after = start + Math.Max(temporal[1], 1) + 1;
        Assert.Equal((after, after, after), (p[0, v + 8], p[1, v + 8], p[2, v + 8]));
        Assert.Equal(p[0, ids.Length - 1] + 1 - ids.Length, p.RopeDelta);
    }

    [Fact]
    public void The_counts_of_video_items_and_videos_must_match()
    {
        PromptTurn[] turns = [PromptTurn.User(PromptItem.Video, PromptItem.FromText("What happens?"))];

        Assert.Throws<ArgumentException>(() => Processor.Prepare(turns, [], [], PixelBudget.Notebook));
    }

    private static VideoClip Clip(double sampleFps, int width, int height)
    {
        var frames = Enumerable.Range(0, 4).Select(i => Solid(width, height, (byte)(40 * i))).ToArray();
        var info = new VideoInfo(width, height, 4, sampleFps, TimeSpan.FromSeconds(4 / sampleFps), 0);
        return new VideoClip("clip", info, new VideoFramePlan(0, 3, [0, 1, 2, 3], sampleFps), new ImageSize(width, height), frames);
    }

    private static RgbImage Solid(int width, int height, byte value) =>
        new(width, height, Enumerable.Repeat(value, width * height * 3).ToArray());
}
