using QwenVl.Tests.Shared;

namespace QwenVlWeb.Tests.Support;

/// <summary>Small videos made with ffmpeg at test time; tests that need them skip with the reason when ffmpeg is missing.</summary>
internal static class TestVideos
{
    private static readonly Lazy<string> Folder = new(() => Directory.CreateTempSubdirectory("qwenvlweb-videos-").FullName);

    /// <summary>testsrc, 3 s at 30 fps, 320×240: 6 frames at 2 fps, 392×280 each, 420 vision tokens.</summary>
    public static string ThreeSeconds => Make("three-seconds.mp4", "-f lavfi -i testsrc=duration=3:size=320x240:rate=30 -c:v libx264 -pix_fmt yuv420p");

    private static string Make(string name, string arguments) => FfmpegClips.Make(Folder.Value, name, arguments);
}
