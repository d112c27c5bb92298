namespace QwenVl.Engine.Vision;

/// <summary>Limits applied before an untrusted image is decoded.</summary>
public sealed record ImageDecoderOptions
{
    /// <summary>Largest encoded file accepted, in bytes (default 50 MiB).</summary>
    public long MaxEncodedBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>
    /// Largest decoded area accepted, read from the header before any pixel is decoded, so a small file that
    /// claims a huge canvas (a decompression bomb) is refused cheaply. Default 64 megapixels.
    /// </summary>
    public long MaxPixels { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Turn the image upright by its EXIF orientation, as transformers' <c>load_image</c> does. qwen-vl-utils (the
    /// notebook's path) does not, so a sideways phone photo reaches the model sideways there; set false to match it.
    /// </summary>
    public bool ApplyExifOrientation { get; init; } = true;

    public static ImageDecoderOptions Default { get; } = new();
}
