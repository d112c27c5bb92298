using Microsoft.ML.OnnxRuntime;

namespace QwenVl.Engine.Runtime.OnnxRuntime;

/// <summary>A stateless graph in ONNX Runtime; inputs are passed without copying (pinned), outputs are copied out once.</summary>
internal sealed class OnnxRuntimeGraphSession : IGraphSession
{
    private readonly InferenceSession _session;
    private readonly string _name;

    public OnnxRuntimeGraphSession(InferenceSession session, string path)
    {
        _session = session;
        _name = Path.GetFileName(path);
        Inputs = Describe(session.InputMetadata);
        Outputs = Describe(session.OutputMetadata);
    }

    public IReadOnlyList<GraphPort> Inputs { get; }

    public IReadOnlyList<GraphPort> Outputs { get; }

    public TimeSpan RunTime { get; private set; }

    public IReadOnlyList<TensorData> Run(IReadOnlyList<TensorData> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var values = inputs.Select(ToOrtValue).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            using var results = _session.Run(runOptions, inputs.Select(i => i.Name).ToArray(), values, Outputs.Select(o => o.Name).ToArray());
            RunTime += System.Diagnostics.Stopwatch.GetElapsedTime(start);
            return results.Select((r, i) => FromOrtValue(Outputs[i].Name, r)).ToArray();
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException($"Running {_name} failed: {ex.Message}", ex);
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }

    public void Dispose() => _session.Dispose();

    internal static OrtValue ToOrtValue(TensorData t) => t.Floats is { } f
        ? OrtValue.CreateTensorValueFromMemory(f, t.Shape)
        : OrtValue.CreateTensorValueFromMemory(t.Longs!, t.Shape);

    private static TensorData FromOrtValue(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        return info.ElementDataType switch
        {
            Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float => TensorData.OfFloats(name, value.GetTensorDataAsSpan<float>().ToArray(), info.Shape),
            Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64 => TensorData.OfLongs(name, value.GetTensorDataAsSpan<long>().ToArray(), info.Shape),
            var other => throw new InferenceException($"Output '{name}' has element type {other}, which the engine does not read."),
        };
    }

    private static GraphPort[] Describe(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        metadata.Select(m => new GraphPort(m.Key, m.Value.ElementDataType.ToString().ToLowerInvariant(), m.Value.Dimensions.Select(d => (long)d).ToArray())).ToArray();
}
