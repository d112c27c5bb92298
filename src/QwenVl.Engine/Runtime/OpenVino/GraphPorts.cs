using System.Runtime.InteropServices;
using QwenVl.Engine.Runtime.OpenVino.Native;

namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>The inputs and outputs of a model: names, element types and partial shapes (−1 for dynamic dimensions).</summary>
internal sealed record GraphPorts(IReadOnlyList<GraphPort> Inputs, IReadOnlyList<GraphPort> Outputs)
{
    public static unsafe GraphPorts Read(OvModelHandle model, OvElementTypes types)
    {
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_model_inputs_size(model, out var inputs));
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_model_outputs_size(model, out var outputs));
        var read = new GraphPort[(int)inputs];
        for (nuint i = 0; i < inputs; i++)
        {
            OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_model_const_input_by_index(model, i, out var port));
            using (port)
            {
                read[(int)i] = Describe(port, types);
            }
        }

        var written = new GraphPort[(int)outputs];
        for (nuint i = 0; i < outputs; i++)
        {
            OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_model_const_output_by_index(model, i, out var port));
            using (port)
            {
                written[(int)i] = Describe(port, types);
            }
        }

        return new GraphPorts(read, written);
    }

    private static unsafe GraphPort Describe(OvPortHandle port, OvElementTypes types)
    {
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_port_get_any_name(port, out var namePointer));
        string name;
        try
        {
            name = Marshal.PtrToStringUTF8(namePointer) ?? string.Empty;
        }
        finally
        {
            OpenVinoInterop.ov_free(namePointer);
        }

        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_port_get_element_type(port, out var type));
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_port_get_partial_shape(port, out var shape));
        try
        {
            var dims = shape.Dims == 0 || !shape.Rank.IsStatic
                ? Array.Empty<long>()
                : new ReadOnlySpan<OvDimension>((void*)shape.Dims, (int)shape.Rank.Max).ToArray().Select(d => d.IsStatic ? d.Max : -1).ToArray();
            return new GraphPort(name, types.Name(type), dims);
        }
        finally
        {
            OpenVinoInterop.ov_partial_shape_free(ref shape);
        }
    }
}
