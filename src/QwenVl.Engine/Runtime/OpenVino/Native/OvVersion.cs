using System.Runtime.InteropServices;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary><c>ov_version_t</c>: { const char* buildNumber; const char* description; } — 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OvVersion
{
    public nint BuildNumber;
    public nint Description;
}
