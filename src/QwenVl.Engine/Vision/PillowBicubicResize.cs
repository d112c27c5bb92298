using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>
    /// Lets a test force the scalar loops on its own thread; they are the reference for the vector loops (both are
    /// exact integer arithmetic, so they must agree bit for bit).
    /// </summary>
    [ThreadStatic]
    private static bool t_scalarOnly;

    internal static bool ScalarOnly
    {
        get => t_scalarOnly;
        set => t_scalarOnly = value;
    }

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
        if (needHorizontal)
        {
            // Only the source rows that the vertical pass will read.
            var firstRow = vertical.Start[0];
            var currentHeight = vertical.Start[height - 1] + vertical.Count[height - 1] - firstRow;

            if (!needVertical)
            {
                var only = new byte[3 * width * height];
                Horizontal(current, source.Width, 0, only, width, height, horizontal);
                return new RgbImage(width, height, only);
            }

            // The intermediate image is only read by the vertical pass: rent it (it is megabytes, on the LOH).
            var temp = ArrayPool<byte>.Shared.Rent(3 * width * currentHeight);
            try
            {
                Horizontal(current, source.Width, firstRow, temp, width, currentHeight, horizontal);
                var output = new byte[3 * width * height];
                Vertical(temp, width, firstRow, output, height, vertical);
                return new RgbImage(width, height, output);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(temp);
            }
        }

        var verticalOnly = new byte[3 * width * height];
        Vertical(current, width, 0, verticalOnly, height, vertical);
        return new RgbImage(width, height, verticalOnly);
    }

    private static unsafe void Horizontal(byte[] src, int srcWidth, int firstRow, byte[] dst, int dstWidth, int rows, Coefficients c)
    {
        if (!ScalarOnly && Avx2.IsSupported)
        {
            HorizontalAvx2(src, srcWidth, firstRow, dst, dstWidth, rows, c);
            return;
        }

        HorizontalScalar(src, srcWidth, firstRow, dst, dstWidth, rows, c, 0);
    }

    private static unsafe void HorizontalScalar(byte[] src, int srcWidth, int firstRow, byte[] dst, int dstWidth, int rows, Coefficients c, int firstOutputRow)
    {
        var kernelSize = c.KernelSize;
        fixed (byte* srcBase = src)
        fixed (byte* dstBase = dst)
        fixed (int* kBase = c.Weights)
        fixed (int* startBase = c.Start)
        fixed (int* countBase = c.Count)
        {
            for (var y = firstOutputRow; y < rows; y++)
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

    /// <summary>
    /// Eight rows at a time, so the inner loop has the same shape as the vertical pass: the eight source rows are
    /// transposed into a tile where each byte column holds its eight row values side by side; each output byte is
    /// then Σ widen(8 bytes) × coefficient over its taps in eight int32 lanes (one per row), and the tile of
    /// results is transposed back into the eight output rows. Rows left over (fewer than eight) use the scalar loop.
    /// The arithmetic per lane is exactly the scalar arithmetic.
    /// </summary>
    private static unsafe void HorizontalAvx2(byte[] src, int srcWidth, int firstRow, byte[] dst, int dstWidth, int rows, Coefficients c)
    {
        var kernelSize = c.KernelSize;
        var srcRowBytes = srcWidth * 3;
        var dstRowBytes = dstWidth * 3;
        var tiles = rows / 8;
        var tileIn = ArrayPool<byte>.Shared.Rent(srcRowBytes * 8);
        var tileOut = ArrayPool<byte>.Shared.Rent(dstRowBytes * 8);
        var half = Vector256.Create(1 << (PrecisionBits - 1));
        try
        {
            fixed (byte* srcBase = src)
            fixed (byte* dstBase = dst)
            fixed (byte* tIn = tileIn)
            fixed (byte* tOut = tileOut)
            fixed (int* kBase = c.Weights)
            fixed (int* startBase = c.Start)
            fixed (int* countBase = c.Count)
            {
                for (var tile = 0; tile < tiles; tile++)
                {
                    var srcTile = srcBase + ((long)(firstRow + (tile * 8)) * srcRowBytes);
                    TransposeRowsToColumns(srcTile, srcRowBytes, tIn);
                    for (var x = 0; x < dstWidth; x++)
                    {
                        var k = kBase + (x * kernelSize);
                        var n = countBase[x];
                        var p = tIn + (startBase[x] * 24);
                        Vector256<int> r = half, g = half, b = half;
                        for (var i = 0; i < n; i++, p += 24)
                        {
                            var w = Vector256.Create(k[i]);
                            r = Avx2.Add(r, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p), w));
                            g = Avx2.Add(g, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p + 8), w));
                            b = Avx2.Add(b, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p + 16), w));
                        }

                        var o = (ulong*)(tOut + (x * 24));
                        o[0] = PackToBytes(r);
                        o[1] = PackToBytes(g);
                        o[2] = PackToBytes(b);
                    }

                    TransposeColumnsToRows(tOut, dstRowBytes, dstBase + ((long)tile * 8 * dstRowBytes));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tileIn);
            ArrayPool<byte>.Shared.Return(tileOut);
        }

        if (tiles * 8 < rows)
        {
            HorizontalScalar(src, srcWidth, firstRow, dst, dstWidth, rows, c, tiles * 8);
        }
    }

    /// <summary>Eight rows of <paramref name="rowBytes"/> bytes → <paramref name="columns"/>[j·8 + r] = row r, byte j.</summary>
    private static unsafe void TransposeRowsToColumns(byte* rows, int rowBytes, byte* columns)
    {
        var j = 0;
        for (; j + 16 <= rowBytes; j += 16)
        {
            var p = rows + j;
            var a0 = Sse2.LoadVector128(p);
            var a1 = Sse2.LoadVector128(p + rowBytes);
            var a2 = Sse2.LoadVector128(p + (2 * rowBytes));
            var a3 = Sse2.LoadVector128(p + (3 * rowBytes));
            var a4 = Sse2.LoadVector128(p + (4 * rowBytes));
            var a5 = Sse2.LoadVector128(p + (5 * rowBytes));
            var a6 = Sse2.LoadVector128(p + (6 * rowBytes));
            var a7 = Sse2.LoadVector128(p + (7 * rowBytes));

            // Bytes of row pairs, then 16-bit pairs of pairs, then 32-bit: each 64-bit half ends up one column.
            var t0 = Sse2.UnpackLow(a0, a1).AsUInt16();
            var t1 = Sse2.UnpackHigh(a0, a1).AsUInt16();
            var t2 = Sse2.UnpackLow(a2, a3).AsUInt16();
            var t3 = Sse2.UnpackHigh(a2, a3).AsUInt16();
            var t4 = Sse2.UnpackLow(a4, a5).AsUInt16();
            var t5 = Sse2.UnpackHigh(a4, a5).AsUInt16();
            var t6 = Sse2.UnpackLow(a6, a7).AsUInt16();
            var t7 = Sse2.UnpackHigh(a6, a7).AsUInt16();
            var u0 = Sse2.UnpackLow(t0, t2).AsUInt32();
            var u1 = Sse2.UnpackHigh(t0, t2).AsUInt32();
            var u2 = Sse2.UnpackLow(t1, t3).AsUInt32();
            var u3 = Sse2.UnpackHigh(t1, t3).AsUInt32();
            var u4 = Sse2.UnpackLow(t4, t6).AsUInt32();
            var u5 = Sse2.UnpackHigh(t4, t6).AsUInt32();
            var u6 = Sse2.UnpackLow(t5, t7).AsUInt32();
            var u7 = Sse2.UnpackHigh(t5, t7).AsUInt32();
            var o = columns + (j * 8);
            Sse2.Store(o, Sse2.UnpackLow(u0, u4).AsByte());
            Sse2.Store(o + 16, Sse2.UnpackHigh(u0, u4).AsByte());
            Sse2.Store(o + 32, Sse2.UnpackLow(u1, u5).AsByte());
            Sse2.Store(o + 48, Sse2.UnpackHigh(u1, u5).AsByte());
            Sse2.Store(o + 64, Sse2.UnpackLow(u2, u6).AsByte());
            Sse2.Store(o + 80, Sse2.UnpackHigh(u2, u6).AsByte());
            Sse2.Store(o + 96, Sse2.UnpackLow(u3, u7).AsByte());
            Sse2.Store(o + 112, Sse2.UnpackHigh(u3, u7).AsByte());
        }

        for (; j < rowBytes; j++)
        {
            for (var r = 0; r < 8; r++)
            {
                columns[(j * 8) + r] = rows[(r * rowBytes) + j];
            }
        }
    }

    /// <summary>The inverse of <see cref="TransposeRowsToColumns"/>.</summary>
    private static unsafe void TransposeColumnsToRows(byte* columns, int rowBytes, byte* rows)
    {
        var j = 0;
        for (; j + 16 <= rowBytes; j += 16)
        {
            var p = columns + (j * 8);
            var (row01, row23, row45, row67) = EightColumns(p);
            var (row01b, row23b, row45b, row67b) = EightColumns(p + 64);
            var o = rows + j;
            Sse2.Store(o, Sse2.UnpackLow(row01, row01b).AsByte());
            Sse2.Store(o + rowBytes, Sse2.UnpackHigh(row01, row01b).AsByte());
            Sse2.Store(o + (2 * rowBytes), Sse2.UnpackLow(row23, row23b).AsByte());
            Sse2.Store(o + (3 * rowBytes), Sse2.UnpackHigh(row23, row23b).AsByte());
            Sse2.Store(o + (4 * rowBytes), Sse2.UnpackLow(row45, row45b).AsByte());
            Sse2.Store(o + (5 * rowBytes), Sse2.UnpackHigh(row45, row45b).AsByte());
            Sse2.Store(o + (6 * rowBytes), Sse2.UnpackLow(row67, row67b).AsByte());
            Sse2.Store(o + (7 * rowBytes), Sse2.UnpackHigh(row67, row67b).AsByte());
        }

        for (; j < rowBytes; j++)
        {
            for (var r = 0; r < 8; r++)
            {
                rows[(r * rowBytes) + j] = columns[(j * 8) + r];
            }
        }
    }

    /// <summary>Eight columns of eight bytes (64 bytes) → four registers, each two rows of those eight columns.</summary>
    private static unsafe (Vector128<ulong>, Vector128<ulong>, Vector128<ulong>, Vector128<ulong>) EightColumns(byte* p)
    {
        var w0 = Sse2.LoadVector128(p);
        var w1 = Sse2.LoadVector128(p + 16);
        var w2 = Sse2.LoadVector128(p + 32);
        var w3 = Sse2.LoadVector128(p + 48);

        // Interleave each register's two columns byte by byte, then merge pairs of columns by 16 and 32 bits.
        var d0 = Sse2.UnpackLow(w0, Sse2.UnpackHigh(w0.AsUInt64(), w0.AsUInt64()).AsByte()).AsUInt16();
        var d1 = Sse2.UnpackLow(w1, Sse2.UnpackHigh(w1.AsUInt64(), w1.AsUInt64()).AsByte()).AsUInt16();
        var d2 = Sse2.UnpackLow(w2, Sse2.UnpackHigh(w2.AsUInt64(), w2.AsUInt64()).AsByte()).AsUInt16();
        var d3 = Sse2.UnpackLow(w3, Sse2.UnpackHigh(w3.AsUInt64(), w3.AsUInt64()).AsByte()).AsUInt16();
        var e0 = Sse2.UnpackLow(d0, d1).AsUInt32();
        var e1 = Sse2.UnpackHigh(d0, d1).AsUInt32();
        var e2 = Sse2.UnpackLow(d2, d3).AsUInt32();
        var e3 = Sse2.UnpackHigh(d2, d3).AsUInt32();
        return (Sse2.UnpackLow(e0, e2).AsUInt64(), Sse2.UnpackHigh(e0, e2).AsUInt64(), Sse2.UnpackLow(e1, e3).AsUInt64(), Sse2.UnpackHigh(e1, e3).AsUInt64());
    }

    private static unsafe void Vertical(byte[] src, int width, int rowOffset, byte[] dst, int dstHeight, Coefficients c)
    {
        if (!ScalarOnly && Avx2.IsSupported)
        {
            VerticalAvx2(src, width, rowOffset, dst, dstHeight, c);
            return;
        }

        VerticalScalar(src, width, rowOffset, dst, dstHeight, c, 0);
    }

    /// <summary>
    /// Sixteen bytes of a row per step (two 8-lane int32 accumulators), then eight, then the scalar loop for the
    /// remainder; results are shifted and packed with saturation, which is Pillow's clip8.
    /// </summary>
    private static unsafe void VerticalAvx2(byte[] src, int width, int rowOffset, byte[] dst, int dstHeight, Coefficients c)
    {
        var kernelSize = c.KernelSize;
        var stride = width * 3;
        var vectorEnd = stride - (stride % 8);
        var half = Vector256.Create(1 << (PrecisionBits - 1));
        fixed (byte* srcBase = src)
        fixed (byte* dstBase = dst)
        fixed (int* kBase = c.Weights)
        {
            for (var y = 0; y < dstHeight; y++)
            {
                var k = kBase + (y * kernelSize);
                var n = c.Count[y];
                var dstRow = dstBase + ((long)y * stride);
                var srcFirst = srcBase + ((long)(c.Start[y] - rowOffset) * stride);
                var x = 0;
                for (; x + 16 <= vectorEnd; x += 16)
                {
                    var acc0 = half;
                    var acc1 = half;
                    var p = srcFirst + x;
                    for (var i = 0; i < n; i++, p += stride)
                    {
                        var w = Vector256.Create(k[i]);
                        acc0 = Avx2.Add(acc0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p), w));
                        acc1 = Avx2.Add(acc1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p + 8), w));
                    }

                    *(ulong*)(dstRow + x) = PackToBytes(acc0);
                    *(ulong*)(dstRow + x + 8) = PackToBytes(acc1);
                }

                for (; x < vectorEnd; x += 8)
                {
                    var acc = half;
                    var p = srcFirst + x;
                    for (var i = 0; i < n; i++, p += stride)
                    {
                        acc = Avx2.Add(acc, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p), Vector256.Create(k[i])));
                    }

                    *(ulong*)(dstRow + x) = PackToBytes(acc);
                }
            }
        }

        if (vectorEnd < stride)
        {
            VerticalScalar(src, width, rowOffset, dst, dstHeight, c, vectorEnd);
        }
    }

    /// <summary>clip8 on eight lanes: value >> 22, saturated to 0…255, as eight bytes.</summary>
    private static ulong PackToBytes(Vector256<int> acc)
    {
        var shifted = Avx2.ShiftRightArithmetic(acc, PrecisionBits);
        var words = Sse2.PackSignedSaturate(shifted.GetLower(), shifted.GetUpper());
        return Sse2.PackUnsignedSaturate(words, words).AsUInt64().ToScalar();
    }

    private static unsafe void VerticalScalar(byte[] src, int width, int rowOffset, byte[] dst, int dstHeight, Coefficients c, int firstByte)
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
                for (var x = firstByte; x < stride; x++)
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
