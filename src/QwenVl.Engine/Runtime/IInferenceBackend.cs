using QwenVl.Engine.Model;

namespace QwenVl.Engine.Runtime;

/// <summary>A runtime (ONNX Runtime, OpenVINO) that loads the four graphs of a model folder.</summary>
public interface IInferenceBackend
{
    /// <summary>Shown to users ("ONNX Runtime 1.31.1 (CPU)").</summary>
    string Description { get; }

    /// <summary>Loads one of the stateless graphs.</summary>
    IGraphSession LoadGraph(string path);

    /// <summary>Loads the language model.</summary>
    ILanguageModelSession LoadLanguageModel(string path, TextConfig config);
}
