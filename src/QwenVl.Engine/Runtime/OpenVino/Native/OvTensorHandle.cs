using Microsoft.Win32.SafeHandles;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>An <c>ov_tensor_t*</c> (the wrapper only; a request's own buffers outlive it).</summary>
internal sealed class OvTensorHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OvTensorHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpenVinoInterop.ov_tensor_free(handle);
        return true;
    }
}
