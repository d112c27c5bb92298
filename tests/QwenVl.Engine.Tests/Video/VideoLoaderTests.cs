using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Video;

public sealed class VideoLoaderTests
{
    [Fact]
    public async Task A_clip_is_probed_sampled_and_sized_by_qwen_vl_utils_rules()
    {
        var clip = await VideoLoader.LoadAsync(TestVideos.TestPattern, "testsrc.mp4", VideoSamplingOptions.Default, TestContext.Current.CancellationToken);

        Assert.Equal((320, 240, 90), (clip.Info.Width, clip.Info.Height, clip.Info.FrameCount));
        Assert.Equal(30, clip.Info.Fps, 6);
        // 90 frames at 30 fps sampled at 2 fps: 6 frames, linspace(0, 89, 6) rounded.
        Assert.Equal([0, 18, 36, 53, 71, 89], clip.Plan.FrameIndices);
        Assert.Equal(2.0, clip.Plan.SampleFps, 12);
        // 320×240 = 76,800 pixels is under 128·28·28 = 100,352: scaled up by √(100352/76800) = 1.1431, then
        // ceil(240·1.1431/28)·28 = 280 and ceil(320·1.1431/28)·28 = 392.
        Assert.Equal(new ImageSize(392, 280), clip.Resized);
        Assert.All(clip.Frames, f => Assert.Equal((392, 280), (f.Width, f.Height)));
    }

    [Fact]
    public async Task The_frames_read_are_the_frames_chosen()
    {
        // Frame n of this video is flat grey with luma 16 + 3n; full-range RGB of studio-range luma y is (y − 16)·255/219.
        var clip = await VideoLoader.LoadAsync(TestVideos.NumberedFrames, "numbered.mkv", VideoSamplingOptions.Default, TestContext.Current.CancellationToken);

        Assert.Equal(72, clip.Info.FrameCount);
        // 72 frames at 24 fps sampled at 2 fps: 6 frames, linspace(0, 71, 6) = 0, 14.2, 28.4, 42.6, 56.8, 71 rounded.
        Assert.Equal([0, 14, 28, 43, 57, 71], clip.Plan.FrameIndices);
        for (var i = 0; i < clip.Frames.Count; i++)
        {
            var expected = 3 * clip.Plan.FrameIndices[i] * 255.0 / 219;
            var pixels = clip.Frames[i].Pixels;
            var centre = ((clip.Frames[i].Height / 2 * clip.Frames[i].Width) + (clip.Frames[i].Width / 2)) * 3;
            Assert.InRange(pixels[centre], expected - 1.5, expected + 1.5);
        }
    }

    [Fact]
    public async Task An_odd_frame_count_and_a_long_video_follow_the_limits()
    {
        var odd = await VideoLoader.LoadAsync(TestVideos.OddFrames, "odd.mp4", VideoSamplingOptions.Default, TestContext.Current.CancellationToken);
        Assert.Equal([0, 10, 20, 30], odd.Plan.FrameIndices);

        var info = await FfmpegVideoReader.ProbeAsync(TestVideos.Long, "long.mp4", TestContext.Current.CancellationToken);
        var (plan, resized) = VideoLoader.PlanFor(info, VideoSamplingOptions.Default, "long.mp4");
        Assert.Equal(800, info.FrameCount);
        Assert.Equal(768, plan.FrameCount);
        // 768 frames share 128000·28·28·0.9 pixels: at most 235,200 per frame; 64×64 is scaled up to the 128-token minimum.
        Assert.True((long)resized.Width * resized.Height <= 235_200);
        Assert.Equal(new ImageSize(336, 336), resized);
    }

    [Fact]
    public async Task Display_rotation_is_applied_as_players_apply_it()
    {
        var clip = await VideoLoader.LoadAsync(TestVideos.Rotated, "rotated.mp4", VideoSamplingOptions.Default, TestContext.Current.CancellationToken);

        Assert.Equal((240, 320), (clip.Info.Width, clip.Info.Height));
        Assert.Equal(new ImageSize(280, 392), clip.Resized);
    }

    [Fact]
    public async Task Broken_and_missing_files_are_clear_errors()
    {
        var corrupt = await Assert.ThrowsAsync<VideoInputException>(() => VideoLoader.LoadAsync(TestVideos.Corrupt, "holiday.mp4", VideoSamplingOptions.Default, TestContext.Current.CancellationToken));
        Assert.Contains("holiday.mp4", corrupt.Message, StringComparison.Ordinal);

        var range = await Assert.ThrowsAsync<VideoInputException>(() => VideoLoader.LoadAsync(TestVideos.TestPattern, "testsrc.mp4",
            VideoSamplingOptions.Default with { StartSeconds = 2.9, EndSeconds = 2.91 }, TestContext.Current.CancellationToken));
        Assert.Contains("holds no frames", range.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_time_range_samples_only_that_part()
    {
        var clip = await VideoLoader.LoadAsync(TestVideos.NumberedFrames, "numbered.mkv", VideoSamplingOptions.Default with { StartSeconds = 1, EndSeconds = 2 },
            TestContext.Current.CancellationToken);

        // Frames ceil(1·24) = 24 … floor(2·24) = 48: 25 frames, 25/24·2 = 2.08 → 2 → at least 4.
        Assert.Equal([24, 32, 40, 48], clip.Plan.FrameIndices);
        Assert.InRange(clip.Frames[0].Pixels[0], (3 * 24 * 255.0 / 219) - 1.5, (3 * 24 * 255.0 / 219) + 1.5);
    }

    [Fact]
    public async Task All_768_frames_of_a_long_video_are_read()
    {
        // ffmpeg's expression parser refuses a flat list of a hundred-odd frame tests; the reader nests them instead.
        var clip = await VideoLoader.LoadAsync(TestVideos.Long, "long.mp4", VideoSamplingOptions.Default, TestContext.Current.CancellationToken);

        Assert.Equal(768, clip.Frames.Count);
        Assert.Equal(768, clip.Frames.Distinct().Count());
    }
}
