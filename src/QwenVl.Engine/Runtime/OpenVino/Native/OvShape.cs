using System.Runtime.InteropServices;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary><c>ov_shape_t</c>: { int64_t rank; int64_t* dims; } — 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OvShape
{
    public long Rank;
    public nint Dims;
}
