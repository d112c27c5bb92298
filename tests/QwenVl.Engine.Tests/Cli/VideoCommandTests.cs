using System.Text.Json;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Cli;

public sealed class VideoCommandTests
{
    [Fact]
    public void Inspect_reports_each_video_and_its_window_layout()
    {
        var dump = TestAssets.NewTempFolder();
        var video = TestVideos.TestPattern;

        var (code, stdout, stderr) = CommandLine.Run("inspect", "--model", TestAssets.ModelFolder, "--prompt", "What happens?", "--video", video, "--dump", dump);

        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        var entry = Assert.Single(root.GetProperty("videos").EnumerateArray().ToList());
        Assert.Equal(6, entry.GetProperty("frames").GetInt32());
        Assert.Equal([0, 18, 36, 53, 71, 89], entry.GetProperty("frame_indices").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2.0, entry.GetProperty("sample_fps").GetDouble());
        Assert.Equal(1.0, entry.GetProperty("second_per_grid").GetDouble());
        Assert.Equal((392, 280), (entry.GetProperty("resized_width").GetInt32(), entry.GetProperty("resized_height").GetInt32()));
        Assert.Equal([3, 20, 28], entry.GetProperty("grid_thw").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(420, entry.GetProperty("tokens").GetInt32());
        // One full-attention block per temporal patch: 20·28 = 560 patches each.
        Assert.Equal([0, 560, 1120, 1680], root.GetProperty("video_cu_seqlens").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(420, root.GetProperty("video_window_index").GetArrayLength());
        Assert.Equal(0, root.GetProperty("image_window_index").GetArrayLength());
        // The video block spans t ∈ {0, 2, 4}, h ∈ 0…9, w ∈ 0…13: 14 positions for 420 tokens.
        Assert.Equal(14 - 420, root.GetProperty("rope_delta").GetInt32());
        Assert.Equal(new[] { 1680, 1176 }, NpyFile.Read(Path.Combine(dump, "pixel_values_videos.npy")).Shape);
    }

    [Fact]
    public void Generate_answers_about_a_video_on_the_tiny_model()
    {
        var (code, stdout, stderr) = CommandLine.Run("generate", "--model", TestAssets.TinyModelFolder, "--prompt", "What happens?",
            "--video", TestVideos.OddFrames, "--video-fps", "4", "--max-new-tokens", "3", "--json");

        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        // 31 frames at 30 fps sampled at 4 fps: 31/30·4 = 4.13 → 4 frames (2 temporal patches). 96×64 = 6,144 px is scaled
        // up to the 128-token minimum: √(100352/6144) = 4.04 → ceil(64·4.04/28)·28 = 280 by ceil(96·4.04/28)·28 = 392.
        Assert.Equal(2 * (280 / 28) * (392 / 28), root.GetProperty("vision_tokens").GetInt32());
        Assert.Equal(3, root.GetProperty("token_ids").GetArrayLength());
    }

    [Fact]
    public void A_corrupt_video_is_a_user_error()
    {
        var (code, _, stderr) = CommandLine.Run("inspect", "--model", TestAssets.ModelFolder, "--prompt", "x", "--video", TestVideos.Corrupt);

        Assert.Equal(2, code);
        Assert.StartsWith("qwenvl: corrupt.mp4 is not a video ffmpeg can read.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_ffmpeg_video_is_refused_with_what_to_install_and_images_keep_working()
    {
        // A child qwenvl whose PATH has no ffmpeg (an empty folder); dotnet is started by its full path.
        var dotnet = FindOnPath("dotnet") ?? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        Assert.SkipWhen(dotnet is null, "dotnet was not found on PATH to start a child process.");
        var image = Path.Combine(TestAssets.Images, "gradient_123x77.png");

        var video = RunWithoutFfmpeg(dotnet!, "inspect", "--model", TestAssets.ModelFolder, "--prompt", "x", "--video", image);
        var images = RunWithoutFfmpeg(dotnet!, "inspect", "--model", TestAssets.ModelFolder, "--prompt", "x", "--image", image);

        Assert.Equal(2, video.Code);
        Assert.Contains("Video needs FFmpeg", video.Stderr, StringComparison.Ordinal);
        Assert.Contains("apt-get install ffmpeg", video.Stderr, StringComparison.Ordinal);
        Assert.True(images.Code == 0, images.Stderr);
    }

    private static (int Code, string Stderr) RunWithoutFfmpeg(string dotnet, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Path.GetFullPath(dotnet)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qwenvl.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = TestAssets.NewTempFolder();
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        return (process.ExitCode, stderr);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .Where(File.Exists)
            .Select(path => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path)
            .FirstOrDefault();
}
