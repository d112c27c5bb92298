using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FFMpegCore;
using FFMpegCore.Exceptions;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Video;

/// <summary>
/// Reads videos through the <c>ffmpeg</c> and <c>ffprobe</c> programs (FFMpegCore). Frames come out as RGB24 over a
/// pipe, one at a time, so a long 1080p clip never sits in memory whole; ffmpeg applies the file's display rotation,
/// as players do.
/// </summary>
public static class FfmpegVideoReader
{
    private static readonly string[] Programs = ["ffmpeg", "ffprobe"];
    private static readonly Lazy<string?> Missing = new(FindMissing);

    /// <summary>Null when ffmpeg and ffprobe are on PATH (or in FFMpegCore's configured folder); else what to install.</summary>
    public static string? MissingReason => Missing.Value;

    /// <summary>Probes the first video stream.</summary>
    /// <exception cref="VideoInputException">ffmpeg is missing, or the file is not a readable video.</exception>
    public static async Task<VideoInfo> ProbeAsync(string path, string displayName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        EnsureAvailable();
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, customArguments: "-count_packets", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FFMpegException or FormatException or JsonException or InvalidOperationException)
        {
            throw new VideoInputException($"{displayName} is not a video ffmpeg can read.", ex);
        }

        if (analysis.PrimaryVideoStream is not { Width: > 0, Height: > 0 } stream)
        {
            throw new VideoInputException($"{displayName} has no video stream.");
        }

        var fps = stream.AverageFrameRate > 0 && double.IsFinite(stream.AverageFrameRate) ? stream.AverageFrameRate : stream.RealFrameRate;
        var duration = stream.Duration > TimeSpan.Zero ? stream.Duration : analysis.Duration;
        var raw = analysis.Raw?.Streams?.FirstOrDefault(s => s.Index == stream.Index);
        var frames = CountFrom(raw, "nb_read_packets") ?? CountFrom(raw, "nb_frames") ?? (int)Math.Round(duration.TotalSeconds * fps);
        if (!(fps > 0) || frames <= 0)
        {
            throw new VideoInputException($"{displayName} reports no frames.");
        }

        var quarterTurns = ((stream.Rotation % 360) + 360) % 360 / 90;
        var (width, height) = quarterTurns % 2 == 1 ? (stream.Height!.Value, stream.Width!.Value) : (stream.Width!.Value, stream.Height!.Value);
        return new VideoInfo(width, height, frames, fps, duration, stream.Rotation);
    }

    /// <summary>
    /// Decodes the frames at <paramref name="indices"/> (ascending) and hands each to <paramref name="onFrame"/> with
    /// its position in <paramref name="indices"/>. Returns how many frames came back (fewer when the stream holds
    /// fewer decodable frames than it announced).
    /// </summary>
    public static async Task<int> ReadFramesAsync(string path, VideoInfo info, IReadOnlyList<int> indices, Action<int, RgbImage> onFrame,
        string displayName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(onFrame);
        EnsureAvailable();
        var frameBytes = checked(info.Width * info.Height * 3);

        // ffmpeg's stdout is read to its end: FFMpegCore's own output pipe stops reading when the process exits,
        // which loses the frames still in the pipe when the reader is slower than ffmpeg (we resize as we read).
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-v", "error", "-nostdin", "-i", path, "-map", "0:v:0", "-vf", $"select='{SelectExpression(indices)}'",
            "-fps_mode", "passthrough", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new VideoInputException($"{displayName}: ffmpeg could not be started.");
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var received = 0;
        try
        {
            var output = process.StandardOutput.BaseStream;
            while (received < indices.Count)
            {
                var pixels = GC.AllocateUninitializedArray<byte>(frameBytes);
                if (await ReadFullyAsync(output, pixels, cancellationToken).ConfigureAwait(false) < frameBytes)
                {
                    break;
                }

                onFrame(received++, new RgbImage(info.Width, info.Height, pixels));
            }

            await output.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0 && received == 0)
        {
            throw new VideoInputException($"{displayName} could not be decoded: {FirstLine(await errors.ConfigureAwait(false))}");
        }

        return received;
    }

    /// <summary>
    /// ffmpeg's <c>select</c> expression for the chosen frames. A flat sum of <c>eq(n,i)</c> fails to parse beyond about
    /// a hundred terms, so the indices (ascending, each once) become a balanced tree of <c>if(lt(n,pivot),…,…)</c>, a
    /// depth of about log2(768) = 10. Commas are escaped for the filter-graph parser. A short video sampled up to the
    /// minimum repeats indices; select passes each frame once and the loader repeats it (see VideoLoader).
    /// </summary>
    public static string SelectExpression(IReadOnlyList<int> indices)
    {
        var sorted = indices.Distinct().Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("No frames to select.", nameof(indices));
        }

        var expression = new StringBuilder();
        Append(sorted);
        return expression.ToString();

        void Append(ReadOnlySpan<int> part)
        {
            if (part.Length <= 4)
            {
                for (var i = 0; i < part.Length; i++)
                {
                    expression.Append(i == 0 ? "" : "+").Append(CultureInfo.InvariantCulture, $"eq(n\\,{part[i]})");
                }

                return;
            }

            var middle = part.Length / 2;
            expression.Append(CultureInfo.InvariantCulture, $"if(lt(n\\,{part[middle]})\\,");
            Append(part[..middle]);
            expression.Append("\\,");
            Append(part[middle..]);
            expression.Append(')');
        }
    }

    private static async Task<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static int? CountFrom(FFProbeStream? stream, string key) =>
        stream?.ExtensionData is { } extra && extra.TryGetValue(key, out var value) && value is JsonElement json
        && int.TryParse(json.ValueKind == JsonValueKind.String ? json.GetString() : json.GetRawText(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : null;

    private static void EnsureAvailable()
    {
        if (MissingReason is { } reason)
        {
            throw new VideoInputException(reason);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? message;

    private static string? FindMissing()
    {
        var folder = GlobalFFOptions.Current.BinaryFolder;
        var missing = Programs.Where(program => !OnPath(program, folder)).ToList();
        return missing.Count == 0
            ? null
            : $"Video needs FFmpeg, and {string.Join(" and ", missing)} {(missing.Count == 1 ? "was" : "were")} not found (install it: apt-get install ffmpeg, or from ffmpeg.org). Images work without it.";
    }

    private static bool OnPath(string program, string? folder)
    {
        string[] names = OperatingSystem.IsWindows() ? [program + ".exe"] : [program];
        var folders = new List<string>();
        if (!string.IsNullOrEmpty(folder))
        {
            folders.Add(folder);
        }

        folders.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return folders.Any(f => names.Any(n => File.Exists(Path.Combine(f, n))));
    }
}
