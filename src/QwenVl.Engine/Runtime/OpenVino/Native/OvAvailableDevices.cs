using System.Runtime.InteropServices;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary><c>ov_available_devices_t</c>: { char** devices; size_t size; } — 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OvAvailableDevices
{
    public nint Devices;
    public nuint Size;
}
