using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime.OpenVino.Native;

namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>
/// OpenVINO as an <see cref="IInferenceBackend"/>: reads IR (<c>.xml</c>/<c>.bin</c>) or ONNX, compiles each graph
/// once for the device with PERFORMANCE_HINT=LATENCY and, when given, a model cache folder (KV-cache precision is
/// left to the plugin).
/// </summary>
public sealed class OpenVinoBackend : IInferenceBackend, IDisposable
{
    private readonly OpenVinoRuntime _runtime;
    private readonly string _device;
    private readonly string? _cacheFolder;
    private readonly OvCoreHandle _core;

    public OpenVinoBackend(OpenVinoRuntime runtime, string device = "CPU", string? cacheFolder = null)
    {
        _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _device = string.IsNullOrWhiteSpace(device) ? "CPU" : device;
        _cacheFolder = cacheFolder;
        _core = OpenVinoRuntime.CreateCore();
    }

    public string Description => $"OpenVINO {_runtime.Version} ({_device})";

    public IGraphSession LoadGraph(string path)
    {
        var (compiled, ports) = Compile(path);
        return new OpenVinoGraphSession(compiled, ports, _runtime.ElementTypes, Path.GetFileName(path));
    }

    public ILanguageModelSession LoadLanguageModel(string path, TextConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (compiled, ports) = Compile(path);
        return new OpenVinoLanguageModelSession(compiled, ports, _runtime.ElementTypes, config, Path.GetFileName(path));
    }

    public void Dispose() => _core.Dispose();

    private (OvCompiledModelHandle Compiled, GraphPorts Ports) Compile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelFolderException($"{Path.GetFileName(path)} is missing from the model folder '{Path.GetDirectoryName(path)}'.") { FileName = Path.GetFileName(path) };
        }

        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_core_read_model(_core, path, null, out var model));
        using (model)
        {
            var ports = GraphPorts.Read(model, _runtime.ElementTypes);
            var properties = new List<KeyValuePair<string, string>> { new("PERFORMANCE_HINT", "LATENCY") };
            if (_cacheFolder is not null)
            {
                Directory.CreateDirectory(_cacheFolder);
                properties.Add(new("CACHE_DIR", _cacheFolder));
            }

            using var list = new OvPropertyList(properties);
            var status = properties.Count == 1
                ? OpenVinoInterop.ov_core_compile_model_2(_core, model, _device, list.ArgumentCount, out var compiled, list[0], list[1])
                : OpenVinoInterop.ov_core_compile_model_4(_core, model, _device, list.ArgumentCount, out compiled, list[0], list[1], list[2], list[3]);
            OpenVinoException.ThrowIfFailed(status);
            compiled.KeepAlive(_core);
            return (compiled, ports);
        }
    }
}
