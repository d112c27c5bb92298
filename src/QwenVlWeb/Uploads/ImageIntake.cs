using Microsoft.Extensions.Options;
using QwenVl.Engine.Vision;
using QwenVlWeb.Services;

namespace QwenVlWeb.Uploads;

/// <summary>
/// The one way an image enters the app (uploads, pasted or dropped files, example cards): size limit, type by magic
/// bytes, pixel limit and a full decode, then the store. Refusals come back as words, never as exceptions.
/// </summary>
public sealed class ImageIntake(UploadStore store, IOptions<WebSettings> options)
{
    public long MaxBytes => options.Value.MaxUploadBytes;

    /// <summary>Accepts <paramref name="data"/> or says why not, with the HTTP status that fits.</summary>
    public (UploadedImage? Image, string? Problem, int Status) Accept(string name, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(data);
        var settings = options.Value;
        if (data.Length > settings.MaxUploadBytes)
        {
            return (null, TooLarge(name, settings.MaxUploadBytes), StatusCodes.Status413PayloadTooLarge);
        }

        if (ImageSniffer.MediaType(data.AsSpan(0, Math.Min(data.Length, ImageSniffer.HeaderLength))) is not { } mediaType)
        {
            return (null, $"{name} is not an image this app reads; use {ImageSniffer.AcceptedTypes}.", StatusCodes.Status415UnsupportedMediaType);
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

    public static string TooLarge(string name, long limit) =>
        $"{name} is larger than {limit / (1024.0 * 1024):0.#} MB, the most this page accepts per image.";
}
