using QwenVl.Engine.Numerics;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Numerics;

public class NpyWriterTests
{
    [Fact]
    public void Writes_a_v1_header_padded_to_64_bytes_and_little_endian_data()
    {
        var path = Path.Combine(TestAssets.NewTempFolder(), "a.npy");

        NpyWriter.Write(path, new long[] { 1, -2, 3, 4, 5, 6 }, 3, 1, 2);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        var headerLength = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
        var read = NpyFile.Read(path);
        Assert.Equal("<i8", read.Descr);
        Assert.Equal(new[] { 3, 1, 2 }, read.Shape);
        Assert.Equal(new long[] { 1, -2, 3, 4, 5, 6 }, read.AsLongs());
    }

    [Fact]
    public void Reads_back_the_committed_numpy_files_byte_for_byte()
    {
        // A file numpy wrote, read by the test reader and re-written by ours, must be identical.
        var original = Path.Combine(TestAssets.Golden, "rotary_1x4x4.npy");
        var npy = NpyFile.Read(original);
        var path = Path.Combine(TestAssets.NewTempFolder(), "b.npy");

        NpyWriter.Write(path, npy.AsFloats(), npy.Shape);

        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(path));
    }

    [Fact]
    public void A_shape_that_does_not_fit_the_data_is_refused()
    {
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(Path.Combine(TestAssets.NewTempFolder(), "c.npy"), new float[5], 2, 3));
    }
}
