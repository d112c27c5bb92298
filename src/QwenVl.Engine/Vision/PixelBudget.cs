namespace QwenVl.Engine.Vision;

/// <summary>
/// The pixel range <see cref="SmartResize"/> keeps an image in (HF's <c>min_pixels</c>/<c>max_pixels</c>). One
/// language-model token covers 28×28 = 784 pixels, so the notebook's 256…1280 tokens is 200,704…1,003,520 pixels.
/// </summary>
public readonly record struct PixelBudget
{
    public const int PixelsPerToken = 28 * 28;

    public PixelBudget(long minPixels, long maxPixels)
    {
        if (minPixels <= 0)
        {
            throw new ImageInputException($"The minimum pixel budget must be positive (got {minPixels}).");
        }

        if (maxPixels < minPixels)
        {
            throw new ImageInputException($"The maximum pixel budget {maxPixels} is smaller than the minimum {minPixels}.");
        }

        MinPixels = minPixels;
        MaxPixels = maxPixels;
    }

    public long MinPixels { get; }

    public long MaxPixels { get; }

    /// <summary>The OpenVINO notebook's budget: 256…1280 vision tokens per image.</summary>
    public static PixelBudget Notebook { get; } = FromTokens(256, 1280);

    public static PixelBudget FromTokens(int minTokens, int maxTokens) => new((long)minTokens * PixelsPerToken, (long)maxTokens * PixelsPerToken);

    public override string ToString() => $"{MinPixels}…{MaxPixels} pixels";
}
