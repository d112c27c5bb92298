using System.Runtime.InteropServices;
using QwenVl.Engine.Runtime.OpenVino.Native;

namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>
/// The loaded OpenVINO C library: where it came from, its version, the element-type table for that version, and
/// its devices. Loading preloads the library's siblings (TBB, libopenvino) from the same folder, because archive
/// installs have no RPATH, and points every <c>openvino_c</c> import of this assembly at the loaded file.
/// </summary>
public sealed class OpenVinoRuntime
{
    private static readonly Lock Gate = new();
    private static OpenVinoRuntime? s_loaded;
    private static nint s_handle;

    private OpenVinoRuntime(string path, OpenVinoVersion version)
    {
        LibraryPath = path;
        Version = version;
        ElementTypes = OvElementTypes.For(version);
    }

    public string LibraryPath { get; }

    public OpenVinoVersion Version { get; }

    internal OvElementTypes ElementTypes { get; }

    /// <summary>How to get the runtime, for messages shown when it is missing.</summary>
    public const string InstallHint =
        "Install it with 'pip install openvino' (the wheel's openvino/libs folder is searched), or extract an OpenVINO archive " +
        "to /opt/intel/openvino_<version>, or set OPENVINO_LIB_DIR (or Engine:OpenVinoPath in the web app's appsettings.json) to the folder that holds libopenvino_c.so.";

    /// <summary>Finds and loads the runtime once per process; the message says what was searched when it fails.</summary>
    public static OpenVinoRuntime? TryLoad(OpenVinoSearchSettings settings, out string message)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (Gate)
        {
            if (s_loaded is not null)
            {
                message = $"OpenVINO {s_loaded.Version} loaded from {s_loaded.LibraryPath}.";
                return s_loaded;
            }

            var location = OpenVinoLocator.Locate(settings);
            nint handle;
            string path;
            if (location.LibraryPath is { } found)
            {
                PreloadSiblings(found);
                if (!NativeLibrary.TryLoad(found, out handle))
                {
                    message = $"OpenVINO was found at {found} ({location.Source}) but could not be loaded (a dependency such as libtbb may be missing; try sourcing setupvars.sh). {InstallHint}";
                    return null;
                }

                path = found;
            }
            else if (NativeLibrary.TryLoad(settings.IsWindows ? "openvino_c.dll" : "libopenvino_c.so", out handle))
            {
                path = "the system library search path";
            }
            else
            {
                message = "OpenVINO (libopenvino_c) was not found. Searched: " + string.Join("; ", location.Searched) + ". " + InstallHint;
                return null;
            }

            // An assembly takes one resolver for its lifetime: register it once, and let it follow the latest load.
            if (s_handle == 0)
            {
                NativeLibrary.SetDllImportResolver(typeof(OpenVinoInterop).Assembly, (name, _, _) => name == OpenVinoInterop.Library ? s_handle : 0);
            }

            s_handle = handle;
            OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_get_openvino_version(out var raw));
            string build;
            try
            {
                build = Marshal.PtrToStringUTF8(raw.BuildNumber) ?? string.Empty;
            }
            finally
            {
                OpenVinoInterop.ov_version_free(ref raw);
            }

            s_loaded = new OpenVinoRuntime(path, OpenVinoVersion.Parse(build));
            message = $"OpenVINO {s_loaded.Version} loaded from {path}.";
            return s_loaded;
        }
    }

    /// <summary>Device names the runtime reports (CPU, GPU, NPU…).</summary>
#pragma warning disable CA1822 // An instance member on purpose: it is only valid once the runtime is loaded.
    public IReadOnlyList<string> AvailableDevices()
#pragma warning restore CA1822
    {
        using var core = CreateCore();
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_core_get_available_devices(core, out var devices));
        try
        {
            var names = new string[(int)devices.Size];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(devices.Devices, i * IntPtr.Size)) ?? string.Empty;
            }

            return names;
        }
        finally
        {
            OpenVinoInterop.ov_available_devices_free(ref devices);
        }
    }

    internal static OvCoreHandle CreateCore()
    {
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_core_create(out var core));
        return core;
    }

    private static void PreloadSiblings(string library)
    {
        var folder = Path.GetDirectoryName(library)!;
        var name = Path.GetFileName(library);
        var suffix = name.StartsWith("libopenvino_c.so", StringComparison.Ordinal) ? name["libopenvino_c.so".Length..] : string.Empty;
        foreach (var sibling in new[] { "libtbb.so.12", "libopenvino.so" + suffix, "libopenvino.so", "tbb12.dll", "openvino.dll" })
        {
            var path = Path.Combine(folder, sibling);
            if (File.Exists(path))
            {
                NativeLibrary.TryLoad(path, out _);
            }
        }
    }
}
