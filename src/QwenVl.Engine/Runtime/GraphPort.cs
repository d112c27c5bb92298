namespace QwenVl.Engine.Runtime;

/// <summary>An input or output of a graph: its name, element type (e.g. "float32", "int64") and shape (−1 where dynamic).</summary>
public sealed record GraphPort(string Name, string ElementType, IReadOnlyList<long> Shape);
