using System.Reflection;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime.OpenVino;

namespace QwenVlWeb.Services;

/// <summary>
/// What the app found at the configured model path, checked once at start-up, so the page can tell a user
/// exactly what is missing and how to fix it.
/// </summary>
public sealed class ModelSetup
{
    private ModelSetup(string configuredPath, string resolvedPath, ModelFolder? folder, string? problem)
    {
        ConfiguredPath = configuredPath;
        ResolvedPath = resolvedPath;
        Folder = folder;
        Problem = problem;
    }

    /// <summary>What the search for the OpenVINO runtime found (Engine:OpenVinoPath first), in words.</summary>
    public string OpenVinoStatus { get; private init; } = string.Empty;

    /// <summary>The value of Engine:ModelPath as written.</summary>
    public string ConfiguredPath { get; }

    /// <summary>
    /// The full path it resolves to. A relative path is relative to the repository root when the app runs from a
    /// source checkout (where models/ is), otherwise to the app's own folder.
    /// </summary>
    public string ResolvedPath { get; }

    /// <summary>The loaded configuration, or null when the folder is missing or unusable.</summary>
    public ModelFolder? Folder { get; }

    /// <summary>Why the folder is not usable, in words for the user; null when it is.</summary>
    public string? Problem { get; }

    public static ModelSetup Check(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new OpenVinoSearchSettings { ConfiguredPath = configuration["Engine:OpenVinoPath"] };
        var runtime = OpenVinoRuntime.TryLoad(settings, out var message);
        var status = runtime is null ? message : $"OpenVINO {runtime.Version} found at {runtime.LibraryPath}.";
        var folder = CheckFolder(configuration);
        return new ModelSetup(folder.ConfiguredPath, folder.ResolvedPath, folder.Folder, folder.Problem) { OpenVinoStatus = status };
    }

    private static ModelSetup CheckFolder(IConfiguration configuration)
    {
        var configured = configuration["Engine:ModelPath"] ?? string.Empty;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return new ModelSetup(configured, string.Empty, null, "No model folder is configured (Engine:ModelPath is empty).");
        }

        var resolved = Path.GetFullPath(configured, BaseFolder());
        if (!Directory.Exists(resolved))
        {
            return new ModelSetup(configured, resolved, null, $"The model folder '{resolved}' does not exist yet.");
        }

        try
        {
            return new ModelSetup(configured, resolved, ModelFolder.Load(resolved), null);
        }
        catch (ModelFolderException ex)
        {
            return new ModelSetup(configured, resolved, null, ex.Message);
        }
    }

    private static string BaseFolder()
    {
        var root = typeof(ModelSetup).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        return root is not null && Directory.Exists(Path.Combine(root, "models")) ? root : AppContext.BaseDirectory;
    }
}
