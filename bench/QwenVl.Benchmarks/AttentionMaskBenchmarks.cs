using BenchmarkDotNet.Attributes;
using QwenVl.Engine.Vision;

namespace QwenVl.Benchmarks;

/// <summary>
/// Target (issue 2): both merger masks for N = 4988 patches without allocating more than the masks themselves
/// (2 × 4·N² = 199,042,304 bytes). MemoryDiagnoser's "Allocated" column is the check.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AttentionMaskBenchmarks
{
    private static readonly GridThw DemoGrid = new(1, 58, 86);
    private int[] _frames = null!;
    private int[] _windows = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frames = VisionAttentionMask.FrameBoundaries([DemoGrid]);
        _windows = WindowIndex.Compute([DemoGrid], 112, 2, 14).CuWindowSeqlens;
    }

    [Benchmark(Description = "Both masks, N = 4988")]
    public (float[], float[]) BothMasks() => (VisionAttentionMask.Create(_frames), VisionAttentionMask.Create(_windows));

    [Benchmark(Description = "Window index + rotary + boundaries, 58×86")]
    public (WindowPartition, float[], int[]) Glue() => (
        WindowIndex.Compute([DemoGrid], 112, 2, 14),
        VisionRotaryTable.Build([DemoGrid], 80, 2),
        VisionAttentionMask.FrameBoundaries([DemoGrid]));
}
