namespace QwenVl.Engine.Vision;

/// <summary>
/// Applies an EXIF orientation (1…8) the way Pillow's <c>ImageOps.exif_transpose</c> does, so a phone photo is
/// seen upright, as the HF image loader sees it.
/// </summary>
internal static class ExifOrientation
{
    public static RgbImage Apply(RgbImage image, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return image;
        }

        int w = image.Width, h = image.Height;
        var swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        var src = image.Buffer;
        var dst = new byte[src.Length];
        var o = 0;
        for (var y = 0; y < oh; y++)
        {
            for (var x = 0; x < ow; x++)
            {
                var (sx, sy) = orientation switch
                {
                    2 => (w - 1 - x, y),          // mirror left-right
                    3 => (w - 1 - x, h - 1 - y),  // rotate 180
                    4 => (x, h - 1 - y),          // mirror top-bottom
                    5 => (y, x),                  // transpose
                    6 => (y, h - 1 - x),          // rotate 90° clockwise
                    7 => (w - 1 - y, h - 1 - x),  // transverse
                    _ => (w - 1 - y, x),          // 8: rotate 90° counter-clockwise
                };
                var s = ((sy * w) + sx) * 3;
                dst[o++] = src[s];
                dst[o++] = src[s + 1];
                dst[o++] = src[s + 2];
            }
        }

        return new RgbImage(ow, oh, dst);
    }
}
