using System.Diagnostics;

namespace QwenVl.Tests.Shared;

/// <summary>
/// Makes test clips with the ffmpeg program (lavfi sources; nothing binary is committed); a test that asks for one
/// skips with the reason when ffmpeg is missing. Shared by the test projects.
/// </summary>
internal static class FfmpegClips
{
    private static readonly Lock Gate = new();

    /// <summary>Runs <c>ffmpeg -v error -y ARGUMENTS "folder/name"</c> once per path and returns the path.</summary>
    public static string Make(string folder, string name, string arguments)
    {
        SkipWithoutFfmpeg();
        lock (Gate)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                return path;
            }

            using var process = Process.Start(new ProcessStartInfo("ffmpeg", $"-v error -y {arguments} \"{path}\"") { RedirectStandardError = true })!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"ffmpeg could not make {name}: {errors}");
            return path;
        }
    }

    /// <summary>Skips the calling test, with the reason, when the video tests' ffmpeg is missing.</summary>
    public static void SkipWithoutFfmpeg()
    {
        if (QwenVl.Engine.Video.FfmpegVideoReader.MissingReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }
}
