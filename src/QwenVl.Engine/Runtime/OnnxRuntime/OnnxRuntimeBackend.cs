using Microsoft.ML.OnnxRuntime;
using QwenVl.Engine.Model;

namespace QwenVl.Engine.Runtime.OnnxRuntime;

/// <summary>ONNX Runtime (CPU) as an <see cref="IInferenceBackend"/>, for the <c>.onnx</c> graphs of a model folder.</summary>
public sealed class OnnxRuntimeBackend : IInferenceBackend
{
    public const string GraphExtension = ".onnx";

    public string Description => $"ONNX Runtime {OrtEnv.Instance().GetVersionString()} (CPU)";

    public IGraphSession LoadGraph(string path) => new OnnxRuntimeGraphSession(Open(path), path);

    public ILanguageModelSession LoadLanguageModel(string path, TextConfig config) => new OnnxRuntimeLanguageModelSession(Open(path), path, config);

    internal static InferenceSession Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelFolderException($"{Path.GetFileName(path)} is missing from the model folder '{Path.GetDirectoryName(path)}'.") { FileName = Path.GetFileName(path) };
        }

        try
        {
            // No CPU arena: the arena keeps the peak of the largest request (vision calls, prefill chunks) for the life
            // of the session, so one large prompt would hold gigabytes long after it was answered.
            using var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                EnableCpuMemArena = false,
            };
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException($"ONNX Runtime could not load {Path.GetFileName(path)}: {ex.Message}", ex);
        }
    }
}
