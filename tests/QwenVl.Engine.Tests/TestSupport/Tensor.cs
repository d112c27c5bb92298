namespace QwenVl.Engine.Tests.TestSupport;

/// <summary>A deliberately naive N-d permute (numpy's transpose) used as an independent check of layouts.</summary>
internal static class Tensor
{
    public static float[] Permute(float[] data, int[] shape, int[] axes)
    {
        var rank = shape.Length;
        var strides = new int[rank];
        strides[rank - 1] = 1;
        for (var i = rank - 2; i >= 0; i--)
        {
            strides[i] = strides[i + 1] * shape[i + 1];
        }

        var outShape = axes.Select(a => shape[a]).ToArray();
        var result = new float[data.Length];
        var index = new int[rank];
        for (var o = 0; o < result.Length; o++)
        {
            var source = 0;
            for (var d = 0; d < rank; d++)
            {
                source += index[d] * strides[axes[d]];
            }

            result[o] = data[source];
            for (var d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < outShape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return result;
    }
}
