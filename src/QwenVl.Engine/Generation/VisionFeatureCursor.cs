using QwenVl.Engine.Runtime;

namespace QwenVl.Engine.Generation;

/// <summary>Hands out merged vision features row by row, in order, across the blocks the vision calls returned.</summary>
internal sealed class VisionFeatureCursor(IReadOnlyList<float[]> blocks, int hidden, string kind)
{
    private int _block;
    private int _row;

    public int Rows { get; } = blocks.Sum(b => b.Length / hidden);

    public int Taken { get; private set; }

    /// <summary>Copies the next feature row into <paramref name="destination"/>.</summary>
    public void CopyNext(Span<float> destination)
    {
        while (_block < blocks.Count && (_row + 1) * hidden > blocks[_block].Length)
        {
            _block++;
            _row = 0;
        }

        if (_block == blocks.Count)
        {
            throw new InferenceException($"The prompt has more {kind} tokens than the vision tower produced features ({Rows}).");
        }

        blocks[_block].AsSpan(_row++ * hidden, hidden).CopyTo(destination);
        Taken++;
    }

    /// <summary>Throws unless every row was used.</summary>
    public void EnsureAllTaken()
    {
        if (Taken != Rows)
        {
            throw new InferenceException($"The vision tower produced {Rows} {kind} feature rows but the prompt has {Taken} {kind} tokens.");
        }
    }
}
