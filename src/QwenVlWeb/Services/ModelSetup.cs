using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime.OpenVino;

namespace QwenVlWeb.Services;

/// <summary>
/// What the app found at the configured model path, checked at start-up, so the page can tell a user exactly what is
/// missing and how to fix it.
/// </summary>
public sealed class ModelSetup
{
    private ModelSetup(string configuredPath, string resolvedPath, ModelFolder? folder, string? problem, string openVinoStatus)
    {
        ConfiguredPath = configuredPath;
        ResolvedPath = resolvedPath;
        Folder = folder;
        Problem = problem;
        OpenVinoStatus = openVinoStatus;
    }

    /// <summary>What the search for the OpenVINO runtime found (Engine:OpenVinoPath first), in words.</summary>
    public string OpenVinoStatus { get; }

    /// <summary>The value of Engine:ModelPath as written.</summary>
    public string ConfiguredPath { get; }

    /// <summary>The full path it resolves to (see <see cref="AppPaths.BaseFolder"/>).</summary>
    public string ResolvedPath { get; }

    /// <summary>The loaded configuration, or null when the folder is missing or unusable.</summary>
    public ModelFolder? Folder { get; }

    /// <summary>Why the folder is not usable, in words for the user; null when it is.</summary>
    public string? Problem { get; }

    public static ModelSetup Check(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var search = new OpenVinoSearchSettings { ConfiguredPath = settings.OpenVinoPath };
        var runtime = OpenVinoRuntime.TryLoad(search, out var message);
        var status = runtime is null ? message : $"OpenVINO {runtime.Version} found at {runtime.LibraryPath}.";

        var configured = settings.ModelPath;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return new ModelSetup(configured, string.Empty, null, "No model folder is configured (Engine:ModelPath is empty).", status);
        }

        var resolved = AppPaths.Resolve(configured);
        if (!Directory.Exists(resolved))
        {
            return new ModelSetup(configured, resolved, null, $"The model folder '{resolved}' does not exist yet.", status);
        }

        try
        {
            return new ModelSetup(configured, resolved, ModelFolder.Load(resolved), null, status);
        }
        catch (ModelFolderException ex)
        {
            return new ModelSetup(configured, resolved, null, ex.Message, status);
        }
    }
}
