namespace QwenVl.Engine.Vision;

/// <summary>A width and height in pixels.</summary>
public readonly record struct ImageSize(int Width, int Height)
{
    public long Pixels => (long)Width * Height;

    public override string ToString() => $"{Width}×{Height}";
}
