using Microsoft.Win32.SafeHandles;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>An <c>ov_model_t*</c>.</summary>
internal sealed class OvModelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OvModelHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpenVinoInterop.ov_model_free(handle);
        return true;
    }
}
