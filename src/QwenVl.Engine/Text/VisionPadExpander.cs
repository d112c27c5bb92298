using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Text;

/// <summary>
/// Expands each <c>&lt;|image_pad|&gt;</c> / <c>&lt;|video_pad|&gt;</c> id of a tokenized prompt into as many copies
/// as its grid has merged tokens (t·h·w / merge²), in order — what the HF processor does on the text before
/// tokenizing. Working on ids gives the same sequence, because the pads are atomic added tokens.
/// </summary>
public static class VisionPadExpander
{
    public static int[] Expand(ReadOnlySpan<int> ids, int imageTokenId, int videoTokenId, IReadOnlyList<GridThw> imageGrids,
        IReadOnlyList<GridThw> videoGrids, int spatialMergeSize)
    {
        ArgumentNullException.ThrowIfNull(imageGrids);
        ArgumentNullException.ThrowIfNull(videoGrids);
        var imagePads = 0;
        var videoPads = 0;
        foreach (var id in ids)
        {
            if (id == imageTokenId)
            {
                imagePads++;
            }
            else if (id == videoTokenId)
            {
                videoPads++;
            }
        }

        if (imagePads != imageGrids.Count)
        {
            throw new ArgumentException($"The prompt has {imagePads} image placeholder(s) but {imageGrids.Count} image(s) were given.", nameof(imageGrids));
        }

        if (videoPads != videoGrids.Count)
        {
            throw new ArgumentException($"The prompt has {videoPads} video placeholder(s) but {videoGrids.Count} video(s) were given.", nameof(videoGrids));
        }

        var length = ids.Length - imagePads - videoPads;
        length += imageGrids.Sum(g => g.TokenCount(spatialMergeSize));
        length += videoGrids.Sum(g => g.TokenCount(spatialMergeSize));
        var result = new int[length];
        var o = 0;
        int image = 0, video = 0;
        foreach (var id in ids)
        {
            if (id == imageTokenId || id == videoTokenId)
            {
                var grid = id == imageTokenId ? imageGrids[image++] : videoGrids[video++];
                var n = grid.TokenCount(spatialMergeSize);
                result.AsSpan(o, n).Fill(id);
                o += n;
            }
            else
            {
                result[o++] = id;
            }
        }

        return result;
    }
}
