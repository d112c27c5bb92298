using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Vision;

/// <summary>Expected pixels are what Pillow decodes (with exif_transpose and qwen-vl-utils' to_rgb).</summary>
public class ImageDecoderTests
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData("gradient_123x77.png")]
    [InlineData("gradient_20x30.png")]
    [InlineData("gray_64x100.png")]
    [InlineData("alpha_90x61.png")] // alpha composited on white with Pillow's integer rounding
    public void Lossless_images_decode_exactly_as_Pillow_decodes_them(string file)
    {
        var expected = NpyFile.Read(Path.Combine(TestAssets.Golden, Path.ChangeExtension(file, ".decoded.npy")));

        var image = _decoder.DecodeFile(Path.Combine(TestAssets.Images, file));

        Assert.Equal(expected.Shape, new[] { image.Height, image.Width, 3 });
        PillowBicubicResizeTests.AssertBytesEqual(expected.AsBytes(), image.Pixels.ToArray(), image.Width);
    }

    [Theory]
    [InlineData("orient1_96x64.jpg", 96, 64)]
    [InlineData("orient3_96x64.jpg", 96, 64)]
    [InlineData("orient6_96x64.jpg", 64, 96)]
    [InlineData("orient8_96x64.jpg", 64, 96)]
    public void JPEG_EXIF_orientation_is_applied_like_exif_transpose(string file, int width, int height)
    {
        var expected = NpyFile.Read(Path.Combine(TestAssets.Golden, Path.ChangeExtension(file, ".decoded.npy"))).AsBytes();

        var image = _decoder.DecodeFile(Path.Combine(TestAssets.Images, file));

        Assert.Equal((width, height), (image.Width, image.Height));

        // Two libjpeg-turbo builds may differ by a level or two; a wrong rotation differs by far more.
        var actual = image.Pixels.ToArray();
        var maxDifference = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDifference <= 3, $"max difference {maxDifference}");
    }

    [Fact]
    public void Orientation_can_be_left_as_stored_to_match_qwen_vl_utils()
    {
        var stored = new ImageDecoder(new ImageDecoderOptions { ApplyExifOrientation = false }).DecodeFile(Path.Combine(TestAssets.Images, "orient6_96x64.jpg"));

        Assert.Equal((96, 64), (stored.Width, stored.Height));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Each_orientation_matches_Pillows_transpose(int orientation)
    {
        var source = new RgbImage(5, 3, NpyFile.Read(Path.Combine(TestAssets.Golden, "orientation_source_5x3.npy")).AsBytes());
        var expected = NpyFile.Read(Path.Combine(TestAssets.Golden, $"orientation_{orientation}.npy"));

        var turned = ExifOrientation.Apply(source, orientation);

        Assert.Equal(expected.Shape, new[] { turned.Height, turned.Width, 3 });
        Assert.Equal(expected.AsBytes(), turned.Pixels.ToArray());
    }

    [Fact]
    public void A_truncated_file_is_a_clear_error()
    {
        var error = Assert.Throws<ImageInputException>(() => _decoder.DecodeFile(Path.Combine(TestAssets.Images, "truncated.png")));

        Assert.Contains("truncated.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_image_is_a_clear_error()
    {
        var error = Assert.Throws<ImageInputException>(() => _decoder.DecodeFile(Path.Combine(TestAssets.Images, "not_an_image.png")));

        Assert.Contains("not an image in a supported format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_missing_inputs_are_clear_errors()
    {
        Assert.Contains("empty", Assert.Throws<ImageInputException>(() => _decoder.Decode([], "upload.png")).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<ImageInputException>(() => _decoder.DecodeFile(Path.Combine(TestAssets.Images, "missing.png"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_limits_are_checked_before_decoding()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestAssets.Images, "gradient_123x77.png"));

        var byPixels = new ImageDecoder(new ImageDecoderOptions { MaxPixels = 123 * 77 - 1 });
        var byBytes = new ImageDecoder(new ImageDecoderOptions { MaxEncodedBytes = bytes.Length - 1 });

        Assert.Contains("123×77 pixels", Assert.Throws<ImageInputException>(() => byPixels.Decode(bytes)).Message, StringComparison.Ordinal);
        Assert.Contains("bytes", Assert.Throws<ImageInputException>(() => byBytes.Decode(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tiny_file_claiming_a_huge_canvas_is_refused_from_its_header()
    {
        // A valid PNG header and IHDR for 100000×100000 pixels, with no image data: a decompression bomb's shape.
        var png = Convert.FromHexString("89504E470D0A1A0A0000000D49484452000186A0000186A0080200000027309C9F0000000B49444154789C63604005000010000139BD8F65");

        var error = Assert.Throws<ImageInputException>(() => _decoder.Decode(png, "bomb.png"));

        Assert.Contains("bomb.png is 100000×100000 pixels", error.Message, StringComparison.Ordinal);
    }
}
