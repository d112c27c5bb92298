namespace QwenVl.Engine.Vision;

/// <summary>
/// Bicubic resampling that reproduces Pillow's <c>Image.resize(size, BICUBIC)</c> byte for byte: the a = −0.5
/// cubic kernel widened by the scale when downsampling (antialias), separable horizontal-then-vertical passes over
/// only the rows the vertical pass needs, coefficients in 22-bit fixed point, round-half-up and clamp to 0…255.
/// openvino.genai's <c>resize_pillow_like</c> (clip.cpp) is the same port of Pillow's Resample.c.
/// </summary>
public static class PillowBicubicResize
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double Support = 2.0;

    /// <summary>Resizes <paramref name="source"/> to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);

        var needHorizontal = width != source.Width;
        var needVertical = height != source.Height;
        if (!needHorizontal && !needVertical)
        {
            return source;
        }

        var horizontal = Coefficients.Compute(source.Width, width);
        var vertical = Coefficients.Compute(source.Height, height);

        var current = source.Buffer;
        var currentHeight = source.Height;
        var firstRow = 0;
        if (needHorizontal)
        {
            // Only the source rows that the vertical pass will read.
            firstRow = vertical.Start[0];
            var lastRow = vertical.Start[height - 1] + vertical.Count[height - 1];
            currentHeight = needVertical ? lastRow - firstRow : source.Height;
            if (!needVertical)
            {
                firstRow = 0;
            }

            var temp = new byte[3 * width * currentHeight];
            Horizontal(current, source.Width, firstRow, temp, width, currentHeight, horizontal);
            current = temp;
        }

        if (!needVertical)
        {
            return new RgbImage(width, height, current);
        }

        var output = new byte[3 * width * height];
        Vertical(current, width, needHorizontal ? firstRow : 0, output, height, vertical);
        return new RgbImage(width, height, output);
    }

    private static unsafe void Horizontal(byte[] src, int srcWidth, int firstRow, byte[] dst, int dstWidth, int rows, Coefficients c)
    {
        var kernelSize = c.KernelSize;
        fixed (byte* srcBase = src)
        fixed (byte* dstBase = dst)
        fixed (int* kBase = c.Weights)
        fixed (int* startBase = c.Start)
        fixed (int* countBase = c.Count)
        {
            for (var y = 0; y < rows; y++)
            {
                var srcRow = srcBase + ((long)(y + firstRow) * srcWidth * 3);
                var dstRow = dstBase + ((long)y * dstWidth * 3);
                for (var x = 0; x < dstWidth; x++)
                {
                    var k = kBase + (x * kernelSize);
                    var p = srcRow + (startBase[x] * 3);
                    var n = countBase[x];
                    int r = 1 << (PrecisionBits - 1), g = r, b = r;
                    for (var i = 0; i < n; i++, p += 3)
                    {
                        var w = k[i];
                        r += p[0] * w;
                        g += p[1] * w;
                        b += p[2] * w;
                    }

                    var d = dstRow + (x * 3);
                    d[0] = Clip8(r);
                    d[1] = Clip8(g);
                    d[2] = Clip8(b);
                }
            }
        }
    }

    private static unsafe void Vertical(byte[] src, int width, int rowOffset, byte[] dst, int dstHeight, Coefficients c)
    {
        var kernelSize = c.KernelSize;
        var stride = width * 3;
        fixed (byte* srcBase = src)
        fixed (byte* dstBase = dst)
        fixed (int* kBase = c.Weights)
        {
            for (var y = 0; y < dstHeight; y++)
            {
                var k = kBase + (y * kernelSize);
                var first = c.Start[y] - rowOffset;
                var n = c.Count[y];
                var dstRow = dstBase + ((long)y * stride);
                var srcFirst = srcBase + ((long)first * stride);
                for (var x = 0; x < stride; x++)
                {
                    var acc = 1 << (PrecisionBits - 1);
                    var p = srcFirst + x;
                    for (var i = 0; i < n; i++, p += stride)
                    {
                        acc += *p * k[i];
                    }

                    dstRow[x] = Clip8(acc);
                }
            }
        }
    }

    private static byte Clip8(int value)
    {
        if (value >= 1 << (PrecisionBits + 8))
        {
            return 255;
        }

        return value <= 0 ? (byte)0 : (byte)(value >> PrecisionBits);
    }

    private static double Bicubic(double x)
    {
        const double a = -0.5;
        if (x < 0.0)
        {
            x = -x;
        }

        if (x < 1.0)
        {
            return ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1;
        }

        if (x < 2.0)
        {
            return ((((x - 5) * x) + 8) * x - 4) * a;
        }

        return 0.0;
    }

    /// <summary>Pillow's <c>precompute_coeffs</c> + <c>normalize_coeffs_8bpc</c> for one axis.</summary>
    private sealed class Coefficients
    {
        private Coefficients(int kernelSize, int[] weights, int[] start, int[] count)
        {
            KernelSize = kernelSize;
            Weights = weights;
            Start = start;
            Count = count;
        }

        public int KernelSize { get; }

        public int[] Weights { get; }

        public int[] Start { get; }

        public int[] Count { get; }

        public static Coefficients Compute(int inSize, int outSize)
        {
            // Pillow passes the box as floats; for the full image that is exactly (0, inSize).
            double scale = (double)(float)inSize / outSize;
            var filterScale = Math.Max(scale, 1.0);
            var support = Support * filterScale;
            var kernelSize = ((int)Math.Ceiling(support) * 2) + 1;
            var weights = new int[outSize * kernelSize];
            var start = new int[outSize];
            var count = new int[outSize];
            var k = new double[kernelSize];
            for (var xx = 0; xx < outSize; xx++)
            {
                var center = (xx + 0.5) * scale;
                var ss = 1.0 / filterScale;
                var xmin = (int)(center - support + 0.5);
                if (xmin < 0)
                {
                    xmin = 0;
                }

                var xmax = (int)(center + support + 0.5);
                if (xmax > inSize)
                {
                    xmax = inSize;
                }

                xmax -= xmin;
                var sum = 0.0;
                for (var x = 0; x < xmax; x++)
                {
                    var w = Bicubic((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    sum += w;
                }

                for (var x = 0; x < xmax; x++)
                {
                    var w = sum != 0.0 ? k[x] / sum : k[x];
                    weights[(xx * kernelSize) + x] = w < 0
                        ? (int)(-0.5 + (w * (1 << PrecisionBits)))
                        : (int)(0.5 + (w * (1 << PrecisionBits)));
                }

                start[xx] = xmin;
                count[xx] = xmax;
            }

            return new Coefficients(kernelSize, weights, start, count);
        }
    }
}
