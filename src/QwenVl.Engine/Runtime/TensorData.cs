namespace QwenVl.Engine.Runtime;

/// <summary>A named host tensor passed to or returned from a graph: float32 or int64 data in row-major order.</summary>
public sealed class TensorData
{
    private TensorData(string name, long[] shape, float[]? floats, long[]? longs)
    {
        Name = name;
        Shape = shape;
        Floats = floats;
        Longs = longs;
        var elements = shape.Aggregate(1L, (a, d) => a * d);
        var length = floats?.LongLength ?? longs!.LongLength;
        if (elements != length)
        {
            throw new ArgumentException($"Tensor '{name}': shape [{string.Join(", ", shape)}] has {elements} elements but the data has {length}.");
        }
    }

    public string Name { get; }

    public long[] Shape { get; }

    /// <summary>The data when the element type is float32.</summary>
    public float[]? Floats { get; }

    /// <summary>The data when the element type is int64.</summary>
    public long[]? Longs { get; }

    public static TensorData OfFloats(string name, float[] data, params long[] shape) => new(name, shape, data ?? throw new ArgumentNullException(nameof(data)), null);

    public static TensorData OfLongs(string name, long[] data, params long[] shape) => new(name, shape, null, data ?? throw new ArgumentNullException(nameof(data)));
}
