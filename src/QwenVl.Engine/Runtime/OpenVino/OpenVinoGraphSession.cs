using System.Diagnostics;
using QwenVl.Engine.Runtime.OpenVino.Native;

namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>A stateless graph compiled by OpenVINO, with one infer request reused for every call.</summary>
internal sealed class OpenVinoGraphSession : IGraphSession
{
    private readonly OvCompiledModelHandle _compiled;
    private readonly OvInferRequestHandle _request;
    private readonly OvElementTypes _types;
    private readonly string _name;

    public OpenVinoGraphSession(OvCompiledModelHandle compiled, GraphPorts ports, OvElementTypes types, string name)
    {
        _compiled = compiled;
        _types = types;
        _name = name;
        Inputs = ports.Inputs;
        Outputs = ports.Outputs;
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_compiled_model_create_infer_request(compiled, out _request));
        _request.KeepAlive(compiled);
    }

    public IReadOnlyList<GraphPort> Inputs { get; }

    public IReadOnlyList<GraphPort> Outputs { get; }

    public TimeSpan RunTime { get; private set; }

    public IReadOnlyList<TensorData> Run(IReadOnlyList<TensorData> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return OvTensors.Step(_name, pins =>
        {
            foreach (var input in inputs)
            {
                OvTensors.SetInput(_request, input.Name, (Array?)input.Floats ?? input.Longs!, input.Floats is not null ? _types.F32 : _types.I64, input.Shape, pins);
            }

            var start = Stopwatch.GetTimestamp();
            OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_infer_request_infer(_request));
            RunTime += Stopwatch.GetElapsedTime(start);
            return (IReadOnlyList<TensorData>)Outputs.Select(o => OvTensors.ReadOutput(_request, o.Name, _types)).ToArray();
        });
    }

    public void Dispose()
    {
        _request.Dispose();
        _compiled.Dispose();
    }
}
