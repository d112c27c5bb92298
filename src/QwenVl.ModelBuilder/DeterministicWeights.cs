namespace QwenVl.ModelBuilder;

/// <summary>
/// Weights from a hash of (seed, tensor name, element index): no RNG state, so every tensor is reproducible on
/// any platform and independent of the order tensors are made in.
/// </summary>
internal sealed class DeterministicWeights(ulong seed)
{
    /// <summary>Uniform values in [−scale, scale).</summary>
    public float[] Uniform(string tensor, int count, float scale)
    {
        var values = new float[count];
        var key = seed ^ Fnv1a(tensor);
        for (var i = 0; i < count; i++)
        {
            var h = Mix(key + (0x9E3779B97F4A7C15UL * (ulong)(i + 1)));
            values[i] = (float)(((h >> 11) * (1.0 / (1UL << 53)) * 2) - 1) * scale;
        }

        return values;
    }

    /// <summary>A Linear weight [in, out] with the 1/√in scale of a sensibly initialised layer, times <paramref name="gain"/>.</summary>
    public float[] Linear(string tensor, int inputs, int outputs, float gain = 1f) =>
        Uniform(tensor, inputs * outputs, gain * MathF.Sqrt(3f / inputs));

    /// <summary>RMSNorm weights around 1.</summary>
    public float[] Norm(string tensor, int size)
    {
        var values = Uniform(tensor, size, 0.1f);
        for (var i = 0; i < size; i++)
        {
            values[i] += 1f;
        }

        return values;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }
}
