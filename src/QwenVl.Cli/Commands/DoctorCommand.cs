using System.CommandLine;
using Microsoft.ML.OnnxRuntime;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime;
using QwenVl.Engine.Runtime.OpenVino;

namespace QwenVl.Cli.Commands;

/// <summary>
/// <c>qwenvl doctor</c>: which runtimes are here (path, version, devices), and whether the chosen backend can run a
/// model folder (files present, graphs readable, input/output names as the export writes them). Exit 0 when it can,
/// 1 with the reason when it cannot.
/// </summary>
internal static class DoctorCommand
{
    private static readonly Dictionary<string, (string[] Inputs, string[] Outputs)> ExpectedPorts = new()
    {
        [QwenVlModel.VisionEmbeddingsStem] = (["hidden_states"], ["last_hidden_state"]),
        [QwenVlModel.VisionMergerStem] = (["hidden_states", "attention_mask", "window_attention_mask", "window_index", "rotary_pos_emb"], ["last_hidden_state"]),
        [QwenVlModel.TextEmbeddingsStem] = (["input"], ["inputs_embeds"]),
        [QwenVlModel.LanguageModelStem] = (["inputs_embeds", "attention_mask", "position_ids"], ["logits"]),
    };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string?>("--model") { Description = "A model folder to check." };
        var backend = new Option<string>("--backend") { Description = "auto, openvino or onnxruntime.", DefaultValueFactory = _ => "auto" };
        var device = new Option<string>("--device") { Description = "Device to check the model on.", DefaultValueFactory = _ => "CPU" };
        var command = new Command("doctor", "Check which runtimes are installed and whether a model folder can run.") { model, backend, device };
        command.SetAction(parse => CliErrors.Guard(stderr, () => Run(stdout, parse.GetValue(model), parse.GetValue(backend)!, parse.GetValue(device)!)));
        return command;
    }

    private static int Run(TextWriter stdout, string? modelPath, string backend, string device)
    {
        var openVino = OpenVinoRuntime.TryLoad(new OpenVinoSearchSettings(), out var openVinoMessage);
        if (openVino is not null)
        {
            stdout.WriteLine($"OpenVINO: {openVino.Version} ({openVino.Version.BuildNumber}) from {openVino.LibraryPath}");
            stdout.WriteLine($"  devices: {string.Join(", ", openVino.AvailableDevices())}");
        }
        else
        {
            stdout.WriteLine($"OpenVINO: not available. {openVinoMessage}");
        }

        stdout.WriteLine($"ONNX Runtime: {OrtEnv.Instance().GetVersionString()} (CPU; bundled)");

        var choice = backend.ToLowerInvariant();
        if (choice is not ("auto" or "openvino" or "onnxruntime"))
        {
            throw new ArgumentException($"Unknown backend '{backend}'; use auto, onnxruntime or openvino.");
        }

        if (modelPath is null)
        {
            if (choice == "openvino" && openVino is null)
            {
                return Fail(stdout, "the OpenVINO backend is not available (see above).");
            }

            stdout.WriteLine(choice == "openvino" ? "OK: the OpenVINO backend is available." : "OK: a backend is available (ONNX Runtime always is).");
            return 0;
        }

        stdout.WriteLine($"Model: {Path.GetFullPath(modelPath)}");
        ModelFolder folder;
        try
        {
            folder = ModelFolder.Load(modelPath);
        }
        catch (ModelFolderException ex)
        {
            return Fail(stdout, ex.Message);
        }

        var text = folder.Config.Text;
        stdout.WriteLine($"  configuration: Qwen2.5-VL, {text.NumHiddenLayers} layers, hidden {text.HiddenSize}, vocabulary {text.VocabSize}");

        IInferenceBackend runtime;
        string extension;
        try
        {
            (runtime, extension) = BackendSelection.Choose(folder, choice, device, new OpenVinoSearchSettings());
        }
        catch (Exception ex) when (ex is NotSupportedException or ModelFolderException)
        {
            return Fail(stdout, ex.Message);
        }

        using var owned = runtime as IDisposable;
        stdout.WriteLine($"  backend: {runtime.Description}, {extension} graphs");
        foreach (var (stem, expected) in ExpectedPorts)
        {
            var path = Path.Combine(folder.Path, stem + extension);
            if (!File.Exists(path))
            {
                return Fail(stdout, $"{stem}{extension} is missing.");
            }

            IGraphSession graph;
            try
            {
                graph = runtime.LoadGraph(path);
            }
            catch (Exception ex) when (ex is InferenceException or OpenVinoException)
            {
                return Fail(stdout, $"{stem}{extension} could not be read: {ex.Message}");
            }

            using (graph)
            {
                var inputs = graph.Inputs.Select(p => p.Name).ToHashSet();
                var outputs = graph.Outputs.Select(p => p.Name).ToHashSet();
                var missing = expected.Inputs.Where(n => !inputs.Contains(n)).Concat(expected.Outputs.Where(n => !outputs.Contains(n))).ToArray();
                if (missing.Length > 0)
                {
                    return Fail(stdout, $"{stem}{extension} lacks {string.Join(", ", missing)}; it is not a Qwen2.5-VL export.");
                }

                var cache = inputs.Contains("beam_idx") ? " (stateful KV cache)" : inputs.Any(n => n.StartsWith("past_key_values.", StringComparison.Ordinal)) ? " (explicit KV cache)" : string.Empty;
                stdout.WriteLine($"  {stem}{extension}: OK{cache}");
                foreach (var port in graph.Inputs.Select(p => (Direction: "in", Port: p)).Concat(graph.Outputs.Select(p => (Direction: "out", Port: p))))
                {
                    stdout.WriteLine($"    {port.Direction} {port.Port.Name} {port.Port.ElementType} [{string.Join(", ", port.Port.Shape)}]");
                }
            }
        }

        stdout.WriteLine($"OK: {runtime.Description} can run this model.");
        return 0;
    }

    private static int Fail(TextWriter stdout, string reason)
    {
        stdout.WriteLine($"NOT OK: {reason}");
        return 1;
    }
}
