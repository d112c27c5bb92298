using System.Reflection;

namespace QwenVlWeb.Services;

/// <summary>Where relative paths in the settings point.</summary>
public static class AppPaths
{
    /// <summary>
    /// The repository root when the app runs from a source checkout (where models/ and wwwroot-assets/ are),
    /// otherwise the app's own folder.
    /// </summary>
    public static string BaseFolder { get; } = FindBaseFolder();

    public static string Resolve(string path) => Path.GetFullPath(path, BaseFolder);

    private static string FindBaseFolder()
    {
        var root = typeof(AppPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        return root is not null && Directory.Exists(Path.Combine(root, "models")) ? root : AppContext.BaseDirectory;
    }
}
