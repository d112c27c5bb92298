namespace QwenVl.Engine.Text;

/// <summary>
/// 3-D mRoPE positions for a prompt: <see cref="PositionIds"/> is int64 [3, 1, L] flattened (temporal row, then
/// height row, then width row), and <see cref="RopeDelta"/> = max(position) + 1 − L, which decode steps add to
/// their sequence position on all three axes.
/// </summary>
public sealed class RopePositions
{
    internal RopePositions(long[] positionIds, int length, long ropeDelta)
    {
        PositionIds = positionIds;
        Length = length;
        RopeDelta = ropeDelta;
    }

    public long[] PositionIds { get; }

    /// <summary>Prompt length L.</summary>
    public int Length { get; }

    public long RopeDelta { get; }

    /// <summary>Position of token <paramref name="index"/> on <paramref name="axis"/> (0 = t, 1 = h, 2 = w).</summary>
    public long this[int axis, int index] => PositionIds[(axis * Length) + index];
}
