using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime.OnnxRuntime;
using QwenVl.Engine.Runtime.OpenVino;

namespace QwenVl.Engine.Runtime;

/// <summary>
/// Picks the runtime for a model folder: <c>openvino</c> needs the OpenVINO runtime (it reads .xml IR, or .onnx);
/// <c>onnxruntime</c> needs .onnx graphs; <c>auto</c> prefers OpenVINO when the runtime and .xml graphs are
/// present and falls back to ONNX Runtime for .onnx graphs. The CLI and the web app choose through this one rule.
/// </summary>
public static class BackendSelection
{
    /// <summary>Chooses the backend and the graph file extension to load.</summary>
    public static (IInferenceBackend Backend, string Extension) Choose(ModelFolder folder, string backend, string device, OpenVinoSearchSettings searchSettings)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(searchSettings);
        var hasIr = HasGraphs(folder, ".xml");
        var hasOnnx = HasGraphs(folder, OnnxRuntimeBackend.GraphExtension);
        switch (backend.ToLowerInvariant())
        {
            case "openvino":
                {
                    var runtime = OpenVinoRuntime.TryLoad(searchSettings, out var message) ?? throw new NotSupportedException(message);
                    return hasIr || hasOnnx
                        ? (new OpenVinoBackend(runtime, device, CacheFolder()), hasIr ? ".xml" : OnnxRuntimeBackend.GraphExtension)
                        : throw NoGraphs(folder);
                }

            case "onnxruntime":
                return hasOnnx ? (OnnxRuntime(device), OnnxRuntimeBackend.GraphExtension) : throw NoOnnx(folder, hasIr);
            case "auto":
                if (hasIr)
                {
                    var runtime = OpenVinoRuntime.TryLoad(searchSettings, out var message);
                    if (runtime is not null)
                    {
                        return (new OpenVinoBackend(runtime, device, CacheFolder()), ".xml");
                    }

                    if (!hasOnnx)
                    {
                        throw new NotSupportedException($"'{folder.Path}' holds OpenVINO IR (.xml) graphs, which need the OpenVINO runtime. {message}");
                    }
                }

                return hasOnnx ? (OnnxRuntime(device), OnnxRuntimeBackend.GraphExtension) : throw NoGraphs(folder);
            default:
                throw new ArgumentException($"Unknown backend '{backend}'; use auto, onnxruntime or openvino.");
        }
    }

    public static bool HasGraphs(ModelFolder folder, string extension) =>
        File.Exists(Path.Combine(folder.Path, QwenVlModel.LanguageModelStem + extension));

    /// <summary>Loads the model in <paramref name="folder"/> on the chosen backend, which the model then owns.</summary>
    public static QwenVlModel Load(ModelFolder folder, string backend, string device, OpenVinoSearchSettings searchSettings, Budget.InferenceLimits? limits = null)
    {
        var (runtime, extension) = Choose(folder, backend, device, searchSettings);
        return QwenVlModel.Load(folder, runtime, extension, ownsBackend: true, limits);
    }

    // AUTO is OpenVINO's "pick for me"; when the choice falls back to ONNX Runtime, its one device is the answer.
    private static OnnxRuntimeBackend OnnxRuntime(string device) =>
        device.Equals("CPU", StringComparison.OrdinalIgnoreCase) || device.Equals("AUTO", StringComparison.OrdinalIgnoreCase)
            ? new OnnxRuntimeBackend()
            : throw new NotSupportedException($"ONNX Runtime runs on CPU here; device '{device}' needs the OpenVINO backend.");

    private static ModelFolderException NoGraphs(ModelFolder folder) =>
        new($"'{folder.Path}' has no {QwenVlModel.LanguageModelStem}.xml or .onnx graph: it holds configuration files only.");

    private static ModelFolderException NoOnnx(ModelFolder folder, bool hasIr) => hasIr
        ? new($"'{folder.Path}' holds OpenVINO IR (.xml) graphs; use --backend openvino (or auto) for them.")
        : NoGraphs(folder);

    private static string CacheFolder() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "qwenvl", "openvino-cache");
}
