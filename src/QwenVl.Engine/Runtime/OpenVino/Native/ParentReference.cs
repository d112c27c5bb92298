using System.Runtime.InteropServices;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>Holds a reference count on a parent handle, so a child never outlives what it was created from.</summary>
internal static class ParentReference
{
    public static SafeHandle Add(SafeHandle parent)
    {
        var added = false;
        parent.DangerousAddRef(ref added);
        return added ? parent : throw new ObjectDisposedException(parent.GetType().Name);
    }

    public static void Release(ref SafeHandle? parent)
    {
        parent?.DangerousRelease();
        parent = null;
    }
}
