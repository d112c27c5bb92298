namespace QwenVl.Engine.Vision;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved R,G,B with no row padding.</summary>
public sealed class RgbImage
{
    private readonly byte[] _pixels;

    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.LongLength != 3L * width * height)
        {
            throw new ArgumentException($"A {width}×{height} RGB image needs {3L * width * height} bytes, got {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public ImageSize Size => new(Width, Height);

    /// <summary>The pixel bytes (3 × width × height).</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * 3;

    internal byte[] Buffer => _pixels;
}
