using System.Runtime.InteropServices;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary><c>ov_dimension_t</c> (also <c>ov_rank_t</c>): { int64_t min; int64_t max; } — 16 bytes; max −1 = unbounded.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OvDimension
{
    public long Min;
    public long Max;

    /// <summary>Dynamic unless min == max ≥ 0 (the C helper also calls a static 0 dynamic; we don't).</summary>
    public readonly bool IsStatic => Min == Max && Max >= 0;
}
