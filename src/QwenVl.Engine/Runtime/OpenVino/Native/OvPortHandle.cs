using Microsoft.Win32.SafeHandles;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>An <c>ov_output_const_port_t*</c>.</summary>
internal sealed class OvPortHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OvPortHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpenVinoInterop.ov_output_const_port_free(handle);
        return true;
    }
}
