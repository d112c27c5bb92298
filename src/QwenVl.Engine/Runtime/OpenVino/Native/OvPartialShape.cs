using System.Runtime.InteropServices;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary><c>ov_partial_shape_t</c>: { ov_rank_t rank; ov_dimension_t* dims; } — 24 bytes; dims NULL when the rank is dynamic.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OvPartialShape
{
    public OvDimension Rank;
    public nint Dims;
}
