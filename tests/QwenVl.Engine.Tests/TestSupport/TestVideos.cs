using QwenVl.Tests.Shared;

namespace QwenVl.Engine.Tests.TestSupport;

/// <summary>
/// Videos made at test time with ffmpeg's lavfi sources (nothing binary is committed). Tests that need them skip with
/// the reason when ffmpeg is missing.
/// </summary>
internal static class TestVideos
{
    private static readonly Lazy<string> Folder = new(TestAssets.NewTempFolder);

    /// <summary>testsrc, 3 s at 30 fps, 320×240 (90 frames), H.264 in MP4.</summary>
    public static string TestPattern => Make("testsrc.mp4", "-f lavfi -i testsrc=duration=3:size=320x240:rate=30 -c:v libx264 -pix_fmt yuv420p");

    /// <summary>
    /// 72 flat grey frames at 24 fps, 64×48, frame n having luma 16 + 3n (full-colour FFV1: lossless), so each
    /// decoded frame tells which frame it is.
    /// </summary>
    public static string NumberedFrames => Make("numbered.mkv",
        "-f lavfi -i color=c=black:size=64x48:rate=24:duration=3 -vf \"geq=lum='16+3*N':cb=128:cr=128\" -c:v ffv1 -pix_fmt yuv444p");

    /// <summary>31 frames at 30 fps: an odd count.</summary>
    public static string OddFrames => Make("odd.mp4", "-f lavfi -i testsrc=size=96x64:rate=30 -frames:v 31 -c:v libx264 -pix_fmt yuv420p");

    /// <summary>400 s at 2 fps (800 frames): sampling at 2 fps would take 800 frames, over the 768 cap.</summary>
    public static string Long => Make("long.mp4", "-f lavfi -i testsrc=duration=400:size=64x64:rate=2 -c:v libx264 -pix_fmt yuv420p -g 50");

    /// <summary>The test pattern (320×240) with a 90° display rotation in its metadata.</summary>
    public static string Rotated => Make("rotated.mp4", $"-i \"{TestPattern}\" -c copy -metadata:s:v:0 rotate=90");

    /// <summary>Random bytes named .mp4 (the tests that read it need ffmpeg to say what is wrong with it).</summary>
    public static string Corrupt
    {
        get
        {
            FfmpegClips.SkipWithoutFfmpeg();
            var path = Path.Combine(Folder.Value, "corrupt.mp4");
            if (!File.Exists(path))
            {
                var bytes = new byte[4096];
                new Random(5).NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
            }

            return path;
        }
    }

    private static string Make(string name, string arguments) => FfmpegClips.Make(Folder.Value, name, arguments);
}
