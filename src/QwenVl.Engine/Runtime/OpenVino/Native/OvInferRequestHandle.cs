using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>An <c>ov_infer_request_t*</c>; keeps its compiled model alive until it is freed.</summary>
internal sealed class OvInferRequestHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private SafeHandle? _parent;

    public OvInferRequestHandle()
        : base(ownsHandle: true)
    {
    }

    public void KeepAlive(SafeHandle parent) => _parent = ParentReference.Add(parent);

    protected override bool ReleaseHandle()
    {
        OpenVinoInterop.ov_infer_request_free(handle);
        ParentReference.Release(ref _parent);
        return true;
    }
}
