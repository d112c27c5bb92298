using System.Globalization;

namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>
/// Finds <c>libopenvino_c</c> in this order: the configured path, <c>OPENVINO_LIB_PATH</c> / <c>OPENVINO_LIB_DIR</c>,
/// a Python <c>openvino</c> wheel's <c>libs</c> folder, <c>/opt/intel/openvino*/runtime/lib/intel64</c> (newest
/// first), the app's folder. When none holds it, the system search path is left to the loader. In a folder the
/// unversioned name wins, else the highest numeric suffix (wheels ship only <c>libopenvino_c.so.2541</c> and the like).
/// </summary>
public static class OpenVinoLocator
{
    public static OpenVinoLocation Locate(OpenVinoSearchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var searched = new List<string>();

        if (!string.IsNullOrWhiteSpace(settings.ConfiguredPath))
        {
            if (Check(settings, settings.ConfiguredPath, "the configured path (Engine:OpenVinoPath)", searched) is { } found)
            {
                return found with { Searched = searched };
            }
        }

        if (settings.Environment(OpenVinoSearchSettings.FileVariable) is { Length: > 0 } file
            && Check(settings, file, $"{OpenVinoSearchSettings.FileVariable}", searched) is { } fromFile)
        {
            return fromFile with { Searched = searched };
        }

        if (settings.Environment(OpenVinoSearchSettings.FolderVariable) is { Length: > 0 } folder
            && Check(settings, folder, $"{OpenVinoSearchSettings.FolderVariable}", searched) is { } fromFolder)
        {
            return fromFolder with { Searched = searched };
        }

        foreach (var site in settings.PythonSitePackages)
        {
            if (Check(settings, Path.Combine(site, "openvino", "libs"), "the Python openvino wheel", searched) is { } wheel)
            {
                return wheel with { Searched = searched };
            }
        }

        var archives = OpenVinoSearchSettings.SafeDirectories(settings.IntelRoot, "openvino*").OrderDescending(StringComparer.Ordinal).ToList();
        if (archives.Count == 0)
        {
            searched.Add($"{Path.Combine(settings.IntelRoot, "openvino*", "runtime", "lib", "intel64")} (no install)");
        }

        foreach (var archive in archives)
        {
            var lib = settings.IsWindows ? Path.Combine(archive, "runtime", "bin", "intel64", "Release") : Path.Combine(archive, "runtime", "lib", "intel64");
            if (Check(settings, lib, "an OpenVINO archive install", searched) is { } installed)
            {
                return installed with { Searched = searched };
            }
        }

        if (Check(settings, settings.AppFolder, "the application folder", searched) is { } local)
        {
            return local with { Searched = searched };
        }

        searched.Add("the system library search path (LD_LIBRARY_PATH, ld.so.cache)");
        return new OpenVinoLocation(null, null, searched);
    }

    /// <summary>The library file in <paramref name="folder"/>: unversioned, else the highest numeric suffix.</summary>
    public static string? FindInFolder(string folder, string libraryFileName)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var exact = Path.Combine(folder, libraryFileName);
        if (File.Exists(exact))
        {
            return exact;
        }

        return Directory.EnumerateFiles(folder, libraryFileName + ".*")
            .Select(path => (Path: path, Suffix: Path.GetFileName(path)[(libraryFileName.Length + 1)..]))
            .Where(c => c.Suffix.Split('.').All(part => part.Length > 0 && part.All(char.IsAsciiDigit)))
            .OrderByDescending(c => c.Suffix.Split('.').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray(), VersionComparer.Instance)
            .Select(c => c.Path)
            .FirstOrDefault();
    }

    private static OpenVinoLocation? Check(OpenVinoSearchSettings settings, string path, string source, List<string> searched)
    {
        if (File.Exists(path))
        {
            return new OpenVinoLocation(Path.GetFullPath(path), source, searched);
        }

        if (FindInFolder(path, settings.LibraryFileName) is { } found)
        {
            return new OpenVinoLocation(Path.GetFullPath(found), source, searched);
        }

        searched.Add($"{path} ({source})");
        return null;
    }

    private sealed class VersionComparer : IComparer<long[]>
    {
        public static VersionComparer Instance { get; } = new();

        public int Compare(long[]? x, long[]? y)
        {
            x ??= [];
            y ??= [];
            for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
            {
                var order = (i < x.Length ? x[i] : -1).CompareTo(i < y.Length ? y[i] : -1);
                if (order != 0)
                {
                    return order;
                }
            }

            return 0;
        }
    }
}
