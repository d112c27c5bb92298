using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>An <c>ov_compiled_model_t*</c>; keeps its core alive until it is freed.</summary>
internal sealed class OvCompiledModelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private SafeHandle? _parent;

    public OvCompiledModelHandle()
        : base(ownsHandle: true)
    {
    }

    public void KeepAlive(SafeHandle parent) => _parent = ParentReference.Add(parent);

    protected override bool ReleaseHandle()
    {
        OpenVinoInterop.ov_compiled_model_free(handle);
        ParentReference.Release(ref _parent);
        return true;
    }
}
