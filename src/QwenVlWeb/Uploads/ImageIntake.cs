using Microsoft.Extensions.Options;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;
using QwenVlWeb.Services;

namespace QwenVlWeb.Uploads;

/// <summary>
/// The one way an image or a video enters the app (uploads, pasted or dropped files, example cards): type by magic
/// bytes, size limit, then a full decode (images) or a probe and a first frame (videos, through ffmpeg), then the store.
/// Refusals come back as words and an HTTP status, never as exceptions.
/// </summary>
public sealed class ImageIntake(UploadStore store, IOptions<WebSettings> options)
{
    /// <summary>The most bytes any upload may have (the larger of the image and video limits).</summary>
    public long MaxBytes => Math.Max(options.Value.MaxUploadBytes, options.Value.MaxVideoBytes);

    /// <summary>Accepts <paramref name="data"/> or says why not.</summary>
    public async Task<(UploadedMedia? Media, string? Problem, int Status)> AcceptAsync(string name, byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(data);
        var header = data.AsSpan(0, Math.Min(data.Length, ImageSniffer.HeaderLength));
        if (ImageSniffer.MediaType(header) is { } imageType)
        {
            return AcceptImage(name, data, imageType);
        }

        if (ImageSniffer.VideoMediaType(header) is { } videoType)
        {
            return await AcceptVideoAsync(name, data, videoType, cancellationToken).ConfigureAwait(false);
        }

        return (null, $"{name} is not a file this app reads; use an image ({ImageSniffer.AcceptedTypes}) or a video ({ImageSniffer.AcceptedVideoTypes}).",
            StatusCodes.Status415UnsupportedMediaType);
    }

    public static string TooLarge(string name, long limit) =>
        $"{name} is larger than {limit / (1024.0 * 1024):0.#} MB, the most this page accepts for it.";

    private (UploadedMedia?, string?, int) AcceptImage(string name, byte[] data, string mediaType)
    {
        var settings = options.Value;
        if (data.Length > settings.MaxUploadBytes)
        {
            return (null, TooLarge(name, settings.MaxUploadBytes), StatusCodes.Status413PayloadTooLarge);
        }

        RgbImage image;
        try
        {
            image = new ImageDecoder(new ImageDecoderOptions { MaxEncodedBytes = settings.MaxUploadBytes, MaxPixels = settings.MaxImagePixels }).Decode(data, name);
        }
        catch (ImageInputException ex)
        {
            return (null, ex.Message, StatusCodes.Status422UnprocessableEntity);
        }

        return (store.Add(name, mediaType, data, image.Width, image.Height, Thumbnail.CreateDataUrl(image)), null, StatusCodes.Status200OK);
    }

    private async Task<(UploadedMedia?, string?, int)> AcceptVideoAsync(string name, byte[] data, string mediaType, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (data.Length > settings.MaxVideoBytes)
        {
            return (null, TooLarge(name, settings.MaxVideoBytes), StatusCodes.Status413PayloadTooLarge);
        }

        if (FfmpegVideoReader.MissingReason is { } missing)
        {
            return (null, missing, StatusCodes.Status415UnsupportedMediaType);
        }

        var path = Path.Combine(Path.GetTempPath(), $"qwenvl-upload-{Guid.NewGuid():N}.video");
        try
        {
            await File.WriteAllBytesAsync(path, data, cancellationToken).ConfigureAwait(false);
            var info = await FfmpegVideoReader.ProbeAsync(path, name, cancellationToken).ConfigureAwait(false);
            if (info.Duration.TotalSeconds > settings.MaxVideoSeconds)
            {
                return (null, $"{name} is {Clock(info.Duration)} long; this page accepts videos up to {Clock(TimeSpan.FromSeconds(settings.MaxVideoSeconds))}.",
                    StatusCodes.Status422UnprocessableEntity);
            }

            VideoLoader.PlanFor(info, VideoSamplingOptions.Default, name); // Too short, or an impossible shape: say so now.
            RgbImage? poster = null;
            await FfmpegVideoReader.ReadFramesAsync(path, info, [0], (_, frame) => poster = frame, name, cancellationToken).ConfigureAwait(false);
            if (poster is null)
            {
                return (null, $"{name} could not be decoded: ffmpeg returned no frames.", StatusCodes.Status422UnprocessableEntity);
            }

            return (store.Add(name, mediaType, data, info.Width, info.Height, Thumbnail.CreateDataUrl(poster), info), null, StatusCodes.Status200OK);
        }
        catch (VideoInputException ex)
        {
            return (null, ex.Message, StatusCodes.Status422UnprocessableEntity);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>m:ss (or h:mm:ss).</summary>
    public static string Clock(TimeSpan duration) =>
        duration.TotalHours >= 1 ? duration.ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : duration.ToString(@"m\:ss", System.Globalization.CultureInfo.InvariantCulture);
}
