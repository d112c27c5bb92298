using System.Text.Json;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Video;

namespace QwenVl.Engine.Tests.Video;

public sealed class VideoSamplingTests
{
    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Golden().GetArrayLength())];

    /// <summary>Against tests/tools/make_video_golden.py: qwen_vl_utils' formulas and PyTorch's linspace in numpy float32.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Frames_are_chosen_as_qwen_vl_utils_chooses_them(int index)
    {
        var golden = Golden()[index];
        var element = golden.GetProperty("ele");
        var options = new VideoSamplingOptions
        {
            Fps = element.TryGetProperty("fps", out var fps) ? fps.GetDouble() : 2.0,
            StartSeconds = element.TryGetProperty("video_start", out var start) ? start.GetDouble() : null,
            EndSeconds = element.TryGetProperty("video_end", out var end) ? end.GetDouble() : null,
        };
        var totalFrames = golden.GetProperty("total_frames").GetInt32();
        var videoFps = golden.GetProperty("video_fps").GetDouble();

        if (golden.TryGetProperty("error", out _))
        {
            Assert.Throws<VideoInputException>(() => VideoSampling.Plan(totalFrames, videoFps, options));
            return;
        }

        var plan = VideoSampling.Plan(totalFrames, videoFps, options);
        var expected = golden.GetProperty("frame_indices").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(expected, plan.FrameIndices);
        Assert.Equal(golden.GetProperty("sample_fps").GetDouble(), plan.SampleFps, 12);
        Assert.Equal(golden.GetProperty("max_pixels").GetInt64(), VideoSampling.FrameBudget(plan.FrameCount, options).MaxPixels);
        Assert.Equal(128L * 28 * 28, VideoSampling.FrameBudget(plan.FrameCount, options).MinPixels);
    }

    [Fact]
    public void Seconds_per_grid_follow_the_real_sampling_rate()
    {
        // 800 frames at 2 fps hit the 768-frame cap: 768 / 800 × 2 = 1.92 frames per second, so one temporal patch
        // (two frames) spans 2 / 1.92 s, not the 1.0 s the notebook assumes.
        var plan = VideoSampling.Plan(800, 2.0, VideoSamplingOptions.Default);

        Assert.Equal(768, plan.FrameCount);
        Assert.Equal(2 / 1.92, plan.SecondsPerGrid(2), 12);
    }

    [Fact]
    public void A_lower_user_maximum_lowers_the_frame_budget_but_a_higher_one_does_not_raise_it()
    {
        var lower = VideoSampling.FrameBudget(4, VideoSamplingOptions.Default with { MaxPixels = 200 * 784 });
        var higher = VideoSampling.FrameBudget(4, VideoSamplingOptions.Default with { MaxPixels = 5000 * 784 });

        Assert.Equal(200L * 784, lower.MaxPixels);
        Assert.Equal(768L * 784, higher.MaxPixels);
    }

    private static JsonElement Golden() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestAssets.Golden, "video_sampling.json"))).RootElement;
}
