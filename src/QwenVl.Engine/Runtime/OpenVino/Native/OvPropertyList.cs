using System.Runtime.InteropServices;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>
/// Key/value properties as the variadic compile call reads them: a flat list of UTF-8 C strings, key then value,
/// owned here and freed on dispose.
/// </summary>
internal sealed class OvPropertyList : IDisposable
{
    private readonly nint[] _pointers;

    public OvPropertyList(IReadOnlyList<KeyValuePair<string, string>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        _pointers = new nint[properties.Count * 2];
        for (var i = 0; i < properties.Count; i++)
        {
            _pointers[2 * i] = Marshal.StringToCoTaskMemUTF8(properties[i].Key);
            _pointers[(2 * i) + 1] = Marshal.StringToCoTaskMemUTF8(properties[i].Value);
        }
    }

    /// <summary>The argument count the C function expects: two per property.</summary>
    public nuint ArgumentCount => (nuint)_pointers.Length;

    /// <summary>The i-th pointer (key, value, key, value, …).</summary>
    public nint this[int index] => _pointers[index];

    public void Dispose()
    {
        for (var i = 0; i < _pointers.Length; i++)
        {
            Marshal.FreeCoTaskMem(_pointers[i]);
            _pointers[i] = 0;
        }
    }
}
