using QwenVl.Engine.Model;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Text;

/// <summary>
/// <c>Qwen2_5_VLModel.get_rope_index</c> for one unpadded sequence. Text advances all three axes together; a
/// vision item's merged tokens take (t, h, w) positions offset from where its text run left off, and the next text
/// continues one past the largest position so far. Video temporal positions are
/// (long)(t · second_per_grid · tokens_per_second), multiplied in float32 and then truncated (see
/// docs/reference-differences.md for the transformers versions that truncate first).
/// </summary>
public static class RopeIndex
{
    public static RopePositions Compute(ReadOnlySpan<int> inputIds, SpecialTokenIds tokens, IReadOnlyList<GridThw> imageGrids,
        IReadOnlyList<VideoGrid> videoGrids, int spatialMergeSize, double tokensPerSecond)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(imageGrids);
        ArgumentNullException.ThrowIfNull(videoGrids);
        var length = inputIds.Length;
        var positions = new long[3 * length];

        // Vision items are counted by the token after each <|vision_start|>, as HF does.
        int images = 0, videos = 0;
        for (var i = 0; i + 1 < length; i++)
        {
            if (inputIds[i] == tokens.VisionStartTokenId)
            {
                if (inputIds[i + 1] == tokens.ImageTokenId)
                {
                    images++;
                }
                else if (inputIds[i + 1] == tokens.VideoTokenId)
                {
                    videos++;
                }
            }
        }

        if (images > imageGrids.Count || videos > videoGrids.Count)
        {
            throw new ArgumentException($"The prompt has {images} image(s) and {videos} video(s) but {imageGrids.Count} image grid(s) and {videoGrids.Count} video grid(s) were given.");
        }

        var st = 0;
        long nextStart = 0; // max of the positions written so far + 1
        int imageIndex = 0, videoIndex = 0;
        for (var item = 0; item < images + videos; item++)
        {
            var edImage = imageIndex < images ? IndexOf(inputIds, tokens.ImageTokenId, st) : length + 1;
            var edVideo = videoIndex < videos ? IndexOf(inputIds, tokens.VideoTokenId, st) : length + 1;
            GridThw grid;
            float secondsPerGrid;
            int ed;
            if (edImage < edVideo)
            {
                grid = imageGrids[imageIndex++];
                secondsPerGrid = 0f;
                ed = edImage;
            }
            else
            {
                var video = videoGrids[videoIndex++];
                grid = video.Grid;
                secondsPerGrid = (float)video.SecondsPerGrid;
                ed = edVideo;
            }

            int lt = grid.T, lh = grid.H / spatialMergeSize, lw = grid.W / spatialMergeSize;
            var textLength = ed - st;
            var stIdx = nextStart;
            for (var i = 0; i < textLength; i++)
            {
                Set(positions, length, st + i, stIdx + i, stIdx + i, stIdx + i);
            }

            var visionTokens = lt * lh * lw;
            if (ed + visionTokens > length)
            {
                throw new ArgumentException($"The prompt has fewer pad tokens after position {ed} than the {visionTokens} its grid {grid} needs.");
            }

            var origin = textLength + stIdx;
            long max = stIdx + textLength - 1;
            var o = ed;
            for (var t = 0; t < lt; t++)
            {
                // float32 like the torch tensors: range(int64) * second_per_grid(float32) * tokens_per_second.
                var temporal = (long)((float)t * secondsPerGrid * (float)tokensPerSecond);
                for (var y = 0; y < lh; y++)
                {
                    for (var x = 0; x < lw; x++)
                    {
                        Set(positions, length, o++, temporal + origin, y + origin, x + origin);
                        max = Math.Max(max, Math.Max(temporal, Math.Max(y, x)) + origin);
                    }
                }
            }

            nextStart = max + 1;
            st = ed + visionTokens;
        }

        for (var i = st; i < length; i++)
        {
            var p = nextStart + (i - st);
            Set(positions, length, i, p, p, p);
        }

        var overallMax = length == 0 ? -1 : positions.Max();
        return new RopePositions(positions, length, overallMax + 1 - length);
    }

    private static int IndexOf(ReadOnlySpan<int> ids, int value, int start)
    {
        var found = ids[start..].IndexOf(value);
        return found < 0 ? ids.Length + 1 : start + found;
    }

    private static void Set(long[] positions, int length, int index, long t, long h, long w)
    {
        positions[index] = t;
        positions[length + index] = h;
        positions[(2 * length) + index] = w;
    }
}
