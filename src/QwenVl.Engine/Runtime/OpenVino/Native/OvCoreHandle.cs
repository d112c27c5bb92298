using Microsoft.Win32.SafeHandles;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>An <c>ov_core_t*</c>.</summary>
internal sealed class OvCoreHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OvCoreHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpenVinoInterop.ov_core_free(handle);
        return true;
    }
}
