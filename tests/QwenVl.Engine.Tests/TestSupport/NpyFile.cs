using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace QwenVl.Engine.Tests.TestSupport;

/// <summary>A minimal reader of NumPy .npy v1/v2 files (little-endian, C order), written for the tests independently of NpyWriter.</summary>
internal sealed partial class NpyFile
{
    private NpyFile(string descr, int[] shape, byte[] data)
    {
        Descr = descr;
        Shape = shape;
        Data = data;
    }

    public string Descr { get; }

    public int[] Shape { get; }

    public byte[] Data { get; }

    public static NpyFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"{path} is not an .npy file.");
        }

        int headerLength, offset;
        if (bytes[6] == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            offset = 10;
        }
        else
        {
            headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
            offset = 12;
        }

        var header = Encoding.ASCII.GetString(bytes, offset, headerLength);
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new InvalidDataException("Fortran order is not supported.");
        }

        var descr = DescrPattern().Match(header).Groups[1].Value;
        var shapeText = ShapePattern().Match(header).Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        return new NpyFile(descr, shape, bytes[(offset + headerLength)..]);
    }

    public byte[] AsBytes() => Descr is "|u1" or "<u1" ? Data : throw new InvalidDataException($"Expected uint8, found {Descr}.");

    public float[] AsFloats() => Descr == "<f4" ? MemoryMarshal.Cast<byte, float>(Data).ToArray() : throw new InvalidDataException($"Expected float32, found {Descr}.");

    public long[] AsLongs() => Descr == "<i8" ? MemoryMarshal.Cast<byte, long>(Data).ToArray() : throw new InvalidDataException($"Expected int64, found {Descr}.");

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
