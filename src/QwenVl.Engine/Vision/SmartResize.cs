namespace QwenVl.Engine.Vision;

/// <summary>
/// Qwen2-VL's <c>smart_resize</c> with the semantics of transformers ≥ 4.53: both sides become multiples of
/// <c>factor</c> (28), the aspect ratio is kept as well as that allows, and the area lands in the pixel budget.
/// Rounding is Python's (half to even), and only the downscale branch clamps a side to at least one factor.
/// </summary>
public static class SmartResize
{
    /// <summary>Images whose long side is more than this many times the short side are rejected, as in HF.</summary>
    public const double MaxAspectRatio = 200;

    /// <summary>Computes the resized size of a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    /// <exception cref="ImageInputException">A side is not positive, or the aspect ratio exceeds 200.</exception>
    public static ImageSize Compute(int width, int height, int factor, PixelBudget budget)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageInputException($"An image must have positive width and height (got {width}×{height}).");
        }

        if (factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The resize factor must be positive.");
        }

        var ratio = (double)Math.Max(width, height) / Math.Min(width, height);
        if (ratio > MaxAspectRatio)
        {
            throw new ImageInputException($"The image is {width}×{height}: its aspect ratio {ratio:0.#} is more than Qwen2.5-VL accepts ({MaxAspectRatio}).");
        }

        // The same floating-point steps as the Python source, so the boundaries fall in the same places.
        long hBar = (long)Math.Round((double)height / factor, MidpointRounding.ToEven) * factor;
        long wBar = (long)Math.Round((double)width / factor, MidpointRounding.ToEven) * factor;
        if (hBar * wBar > budget.MaxPixels)
        {
            var beta = Math.Sqrt((double)height * width / budget.MaxPixels);
            hBar = Math.Max(factor, (long)Math.Floor(height / beta / factor) * factor);
            wBar = Math.Max(factor, (long)Math.Floor(width / beta / factor) * factor);
        }
        else if (hBar * wBar < budget.MinPixels)
        {
            var beta = Math.Sqrt(budget.MinPixels / ((double)height * width));
            hBar = (long)Math.Ceiling(height * beta / factor) * factor;
            wBar = (long)Math.Ceiling(width * beta / factor) * factor;
        }

        if (hBar > int.MaxValue || wBar > int.MaxValue)
        {
            throw new ImageInputException($"The pixel budget {budget} would resize a {width}×{height} image beyond any usable size.");
        }

        return new ImageSize((int)wBar, (int)hBar);
    }
}
