namespace QwenVl.Engine.Runtime;

/// <summary>One loaded graph (vision embeddings, merger, text embeddings): describe it, run it with named tensors.</summary>
public interface IGraphSession : IDisposable
{
    IReadOnlyList<GraphPort> Inputs { get; }

    IReadOnlyList<GraphPort> Outputs { get; }

    /// <summary>Total time spent inside the runtime's run calls so far.</summary>
    TimeSpan RunTime { get; }

    /// <summary>Runs the graph and returns its outputs, in <see cref="Outputs"/> order.</summary>
    IReadOnlyList<TensorData> Run(IReadOnlyList<TensorData> inputs);
}
