namespace QwenVl.Engine.Vision;

/// <summary>
/// How the vision tower's window attention groups merged tokens: <see cref="WindowIndex"/> lists merged-token
/// indices window by window (the merger graph gathers with it), and <see cref="CuWindowSeqlens"/> holds the
/// cumulative patch counts at window boundaries, consecutive duplicates removed.
/// </summary>
public sealed record WindowPartition(long[] WindowIndex, int[] CuWindowSeqlens);
