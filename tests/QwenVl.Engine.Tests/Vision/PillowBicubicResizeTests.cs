using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Vision;

/// <summary>Expected bytes come from Pillow's Image.resize(BICUBIC) (tests/tools/make_golden.py).</summary>
public class PillowBicubicResizeTests
{
    public static TheoryData<int, int> Targets()
    {
        var data = new TheoryData<int, int>();
        foreach (var c in Golden.Cases("resample"))
        {
            data.Add(c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Resizes_byte_for_byte_like_Pillow(int width, int height)
    {
        var source = new RgbImage(157, 93, NpyFile.Read(Path.Combine(TestAssets.Golden, "resample_source_157x93.npy")).AsBytes());
        var expected = NpyFile.Read(Path.Combine(TestAssets.Golden, $"resample_157x93_to_{width}x{height}.npy"));

        var resized = PillowBicubicResize.Resize(source, width, height);

        Assert.Equal(new[] { height, width, 3 }, expected.Shape);
        AssertBytesEqual(expected.AsBytes(), resized.Pixels.ToArray(), width);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_scalar_loops_give_the_same_bytes(int width, int height)
    {
        // The vector loops are checked above on machines that have them; these are the fallback and their reference.
        var source = new RgbImage(157, 93, NpyFile.Read(Path.Combine(TestAssets.Golden, "resample_source_157x93.npy")).AsBytes());
        var expected = NpyFile.Read(Path.Combine(TestAssets.Golden, $"resample_157x93_to_{width}x{height}.npy"));

        PillowBicubicResize.ScalarOnly = true;
        try
        {
            AssertBytesEqual(expected.AsBytes(), PillowBicubicResize.Resize(source, width, height).Pixels.ToArray(), width);
        }
        finally
        {
            PillowBicubicResize.ScalarOnly = false;
        }
    }

    [Theory]
    [InlineData(1204, 812)] // the notebook demo photo's downscale
    [InlineData(517, 1365)] // horizontal only
    [InlineData(2048, 391)] // vertical only
    [InlineData(3001, 1999)] // upscale
    public void Vector_and_scalar_loops_agree_on_a_large_photo_sized_image(int width, int height)
    {
        var random = new Random(20261126);
        var pixels = new byte[2048 * 1365 * 3];
        random.NextBytes(pixels);
        var source = new RgbImage(2048, 1365, pixels);

        var vector = PillowBicubicResize.Resize(source, width, height).Pixels.ToArray();
        PillowBicubicResize.ScalarOnly = true;
        byte[] scalar;
        try
        {
            scalar = PillowBicubicResize.Resize(source, width, height).Pixels.ToArray();
        }
        finally
        {
            PillowBicubicResize.ScalarOnly = false;
        }

        AssertBytesEqual(scalar, vector, width);
    }

    [Fact]
    public void The_same_size_returns_the_image_unchanged()
    {
        var source = new RgbImage(2, 1, [1, 2, 3, 4, 5, 6]);

        Assert.Same(source, PillowBicubicResize.Resize(source, 2, 1));
    }

    internal static void AssertBytesEqual(byte[] expected, byte[] actual, int width)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                var pixel = i / 3;
                Assert.Fail($"First difference at x={pixel % width}, y={pixel / width}, channel {i % 3}: expected {expected[i]}, got {actual[i]}.");
            }
        }
    }
}
