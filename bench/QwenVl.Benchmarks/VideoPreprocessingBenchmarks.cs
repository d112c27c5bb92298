using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVl.Benchmarks;

/// <summary>
/// A 60 s 1080p clip (30 fps, H.264) sampled at 2 fps: 120 frames. The peer is ffmpeg alone decoding the clip and
/// selecting those frames (<c>-f null</c>: no conversion, no output); ours is the whole of it: probe, decode, convert to
/// RGB, read over the pipe, resize to 1036×588 (qwen_vl_utils' per-frame budget), normalise and flatten into patches.
/// The clip is made once with ffmpeg and kept in the temp folder between runs.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class VideoPreprocessingBenchmarks
{
    private readonly ImagePreprocessor _preprocessor = new(BenchmarkAssets.Preprocessor);
    private string _clip = string.Empty;
    private string _select = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        if (FfmpegVideoReader.MissingReason is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        _clip = Path.Combine(Path.GetTempPath(), "qwenvl-bench-60s-1080p.mp4");
        if (!File.Exists(_clip))
        {
            Ffmpeg($"-v error -y -f lavfi -i testsrc2=duration=60:size=1920x1080:rate=30 -c:v libx264 -preset veryfast -pix_fmt yuv420p \"{_clip}\"");
        }

        var plan = VideoSampling.Plan(1800, 30, VideoSamplingOptions.Default);
        _select = FfmpegVideoReader.SelectExpression(plan.FrameIndices);
    }

    [Benchmark(Baseline = true)]
    public void FfmpegDecodeOnly() =>
        Ffmpeg($"-v error -nostdin -i \"{_clip}\" -map 0:v:0 -vf \"select='{_select}'\" -fps_mode passthrough -f null -");

    [Benchmark]
    public int SampleAndPreprocess()
    {
        var clip = VideoLoader.LoadAsync(_clip, "clip", VideoSamplingOptions.Default).GetAwaiter().GetResult();
        return _preprocessor.PreprocessVideo(clip).TokenCount;
    }

    private static void Ffmpeg(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("ffmpeg", arguments) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(errors);
        }
    }
}
