using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace QwenVl.Engine.Numerics;

/// <summary>
/// Writes NumPy <c>.npy</c> files (format 1.0, little-endian, C order) so arrays can be compared with Python
/// references directly (<c>numpy.load</c>).
/// </summary>
public static class NpyWriter
{
    public static void Write(string path, ReadOnlySpan<float> data, params int[] shape) => Write(path, "<f4", MemoryMarshal.AsBytes(data), data.Length, shape);

    public static void Write(string path, ReadOnlySpan<long> data, params int[] shape) => Write(path, "<i8", MemoryMarshal.AsBytes(data), data.Length, shape);

    public static void Write(string path, ReadOnlySpan<int> data, params int[] shape) => Write(path, "<i4", MemoryMarshal.AsBytes(data), data.Length, shape);

    public static void Write(string path, ReadOnlySpan<byte> data, params int[] shape) => Write(path, "|u1", data, data.Length, shape);

    private static void Write(string path, string descr, ReadOnlySpan<byte> bytes, int count, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("NpyWriter writes little-endian data and runs only on little-endian machines.");
        }

        var elements = shape.Aggregate(1L, (a, d) => a * d);
        if (elements != count)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) has {elements} elements but the data has {count}.", nameof(shape));
        }

        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";

        // Magic (6) + version (2) + header length (2) + header, padded with spaces and a newline to a multiple of 64.
        var unpadded = 10 + header.Length + 1;
        var padding = (64 - (unpadded % 64)) % 64;
        header = header + new string(' ', padding) + "\n";

        using var stream = File.Create(path);
        Span<byte> preamble = stackalloc byte[10];
        preamble[0] = 0x93;
        "NUMPY"u8.CopyTo(preamble[1..]);
        preamble[6] = 1;
        preamble[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(preamble[8..], (ushort)header.Length);
        stream.Write(preamble);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(bytes);
    }
}
