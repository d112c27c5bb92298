namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>Where to look for the OpenVINO C library. Every location can be replaced, so the search order is testable.</summary>
public sealed record OpenVinoSearchSettings
{
    /// <summary>Environment variable naming the folder that holds <c>libopenvino_c</c>.</summary>
    public const string FolderVariable = "OPENVINO_LIB_DIR";

    /// <summary>Environment variable naming the library file itself.</summary>
    public const string FileVariable = "OPENVINO_LIB_PATH";

    /// <summary>The configured path (appsettings <c>Engine:OpenVinoPath</c>): the library file or its folder.</summary>
    public string? ConfiguredPath { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Python site-packages folders whose <c>openvino/libs</c> may hold the wheel's libraries.</summary>
    public IReadOnlyList<string> PythonSitePackages { get; init; } = DefaultSitePackages();

    /// <summary>Where archive installs live (<c>/opt/intel/openvino*/runtime/lib/intel64</c>).</summary>
    public string IntelRoot { get; init; } = "/opt/intel";

    public string AppFolder { get; init; } = AppContext.BaseDirectory;

    public bool IsWindows { get; init; } = OperatingSystem.IsWindows();

    /// <summary>The library's file name on this platform (unversioned).</summary>
    public string LibraryFileName => IsWindows ? "openvino_c.dll" : "libopenvino_c.so";

    private static string[] DefaultSitePackages()
    {
        var roots = new List<string>();
        foreach (var prefix in new[] { System.Environment.GetEnvironmentVariable("VIRTUAL_ENV"), System.Environment.GetEnvironmentVariable("CONDA_PREFIX") })
        {
            if (!string.IsNullOrEmpty(prefix))
            {
                roots.Add(Path.Combine(prefix, "lib"));
                roots.Add(Path.Combine(prefix, "Lib", "site-packages"));
            }
        }

        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            roots.Add(Path.Combine(home, ".local", "lib"));
        }

        roots.Add("/usr/local/lib");
        roots.Add("/usr/lib");
        var folders = new List<string>();
        foreach (var root in roots.Where(Directory.Exists))
        {
            if (root.EndsWith("site-packages", StringComparison.Ordinal))
            {
                folders.Add(root);
                continue;
            }

            foreach (var python in SafeDirectories(root, "python3*").OrderDescending(StringComparer.Ordinal))
            {
                folders.Add(Path.Combine(python, "site-packages"));
                folders.Add(Path.Combine(python, "dist-packages"));
            }
        }

        return [.. folders];
    }

    internal static string[] SafeDirectories(string root, string pattern)
    {
        try
        {
            return Directory.Exists(root) ? Directory.GetDirectories(root, pattern) : [];
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
