using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace QwenVl.ModelBuilder;

/// <summary>
/// A small fluent writer of ONNX graphs (opset 17, IR 8) over OnnxSharp's protobuf classes: every operator call
/// appends a node and returns the name of its output, so graph code reads like the PyTorch it mirrors.
/// </summary>
internal sealed class OnnxGraph
{
    private const int Opset = 17;
    private readonly GraphProto _graph;
    private int _next;

    public OnnxGraph(string name)
    {
        _graph = new GraphProto { Name = name };
    }

    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    public void Output(string value, string name, TensorProto.Types.DataType type, params object[] dims)
    {
        if (value != name)
        {
            Node("Identity", [value], name);
        }

        _graph.Output.Add(ValueInfo(name, type, dims));
    }

    public string Weight(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Int64s(params long[] values) => Int64s(values, [values.Length]);

    public string Int64Scalar(long value) => Int64s([value], []);

    public string Floats(params float[] values) => Weight(Fresh("const"), values, values.Length);

    public string FloatScalar(float value) => Weight(Fresh("const"), [value]);

    private string Int64s(long[] values, long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Appends a node with one output and returns the output's name.</summary>
    public string Op(string opType, string[] inputs, params (string Name, object Value)[] attributes) =>
        Node(opType, inputs, Fresh(opType), attributes);

    /// <summary>Appends a node with several outputs.</summary>
    public string[] Ops(string opType, string[] inputs, int outputs, params (string Name, object Value)[] attributes)
    {
        var names = Enumerable.Range(0, outputs).Select(_ => Fresh(opType)).ToArray();
        AddNode(opType, inputs, names, attributes);
        return names;
    }

    public string Node(string opType, string[] inputs, string output, params (string Name, object Value)[] attributes)
    {
        AddNode(opType, inputs, [output], attributes);
        return output;
    }

    public byte[] ToModelBytes()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "QwenVl.ModelBuilder", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model.ToByteArray();
    }

    // Common compositions.
    public string Add(string a, string b) => Op("Add", [a, b]);

    public string Sub(string a, string b) => Op("Sub", [a, b]);

    public string Mul(string a, string b) => Op("Mul", [a, b]);

    public string Div(string a, string b) => Op("Div", [a, b]);

    public string MatMul(string a, string b) => Op("MatMul", [a, b]);

    public string Reshape(string x, params long[] shape) => Op("Reshape", [x, Int64s(shape)]);

    public string ReshapeTo(string x, string shape) => Op("Reshape", [x, shape]);

    public string Transpose(string x, params long[] perm) => Op("Transpose", [x], ("perm", perm));

    public string Unsqueeze(string x, params long[] axes) => Op("Unsqueeze", [x, Int64s(axes)]);

    public string Squeeze(string x, params long[] axes) => Op("Squeeze", [x, Int64s(axes)]);

    public string Concat(long axis, params string[] xs) => Op("Concat", xs, ("axis", axis));

    public string Gather(string data, string indices, long axis) => Op("Gather", [data, indices], ("axis", axis));

    public string Softmax(string x) => Op("Softmax", [x], ("axis", -1L));

    public string Cast(string x, TensorProto.Types.DataType to) => Op("Cast", [x], ("to", (long)to));

    public string Slice(string x, long start, long end, long axis) => Op("Slice", [x, Int64s(start), Int64s(end), Int64s(axis)]);

    public string Dim(string x, long axis) => Op("Gather", [Op("Shape", [x]), Int64Scalar(axis)], ("axis", 0L));

    /// <summary>x·W + b with W stored [in, out] (the transpose of torch's Linear weight).</summary>
    public string Linear(string x, string weight, string? bias) => bias is null ? MatMul(x, weight) : Add(MatMul(x, weight), bias);

    /// <summary>Qwen2RMSNorm: x · rsqrt(mean(x²) + eps) · weight, in float32.</summary>
    public string RmsNorm(string x, string weight, float eps)
    {
        // Opset 17: ReduceMean takes its axes as an attribute (ReduceSum already as an input).
        var variance = Op("ReduceMean", [Mul(x, x)], ("axes", new long[] { -1 }), ("keepdims", 1L));
        var scale = Op("Reciprocal", [Op("Sqrt", [Add(variance, FloatScalar(eps))])]);
        return Mul(Mul(x, scale), weight);
    }

    public string Silu(string x) => Mul(x, Op("Sigmoid", [x]));

    /// <summary>GELU with erf (torch's default, approximate='none').</summary>
    public string Gelu(string x)
    {
        var erf = Op("Erf", [Mul(x, FloatScalar((float)(1 / Math.Sqrt(2))))]);
        return Mul(Mul(x, FloatScalar(0.5f)), Add(erf, FloatScalar(1f)));
    }

    /// <summary>rotate_half: cat(−x[..., d/2:], x[..., :d/2]).</summary>
    public string RotateHalf(string x, long headDim)
    {
        var first = Slice(x, 0, headDim / 2, -1);
        var second = Slice(x, headDim / 2, headDim, -1);
        return Concat(-1, Op("Neg", [second]), first);
    }

    private void AddNode(string opType, string[] inputs, string[] outputs, (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Fresh("node_" + opType) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(value switch
            {
                long i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
                float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
                long[] ints => Ints(name, ints),
                _ => throw new ArgumentException($"Unsupported attribute type {value.GetType()}."),
            });
        }

        _graph.Node.Add(node);
    }

    private static AttributeProto Ints(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private string Fresh(string prefix) => $"{prefix}_{_next++}";

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var d in dims)
        {
            tensorType.Shape.Dim.Add(d switch
            {
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                long l => new TensorShapeProto.Types.Dimension { DimValue = l },
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => throw new ArgumentException($"Unsupported dimension {d}."),
            });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
