using System.Runtime.InteropServices;
using QwenVl.Engine.Runtime.OpenVino.Native;

namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>
/// Moves tensors across the C API. Inputs wrap pinned managed arrays (no copy); the pins are released by the
/// caller after the inference that reads them, because OpenVINO keeps only the pointer. Outputs are copied out.
/// </summary>
internal static unsafe class OvTensors
{
    /// <summary>Sets <paramref name="name"/> to a tensor over <paramref name="data"/>; adds the pins to release after inference.</summary>
    public static void SetInput(OvInferRequestHandle request, string name, Array data, uint elementType, long[] shape, List<GCHandle> pins)
    {
        var dataPin = GCHandle.Alloc(data, GCHandleType.Pinned);
        pins.Add(dataPin);
        var shapePin = GCHandle.Alloc(shape, GCHandleType.Pinned);
        pins.Add(shapePin);

        // A self-made ov_shape_t over the pinned dims: the C side copies them, and rank 0 is expressible.
        var ovShape = new OvShape { Rank = shape.Length, Dims = shapePin.AddrOfPinnedObject() };
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_tensor_create_from_host_ptr(elementType, ovShape, (void*)dataPin.AddrOfPinnedObject(), out var tensor));
        using (tensor)
        {
            OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_infer_request_set_tensor(request, name, tensor));
        }
    }

    /// <summary>
    /// Runs one inference step of <paramref name="graphName"/>: the body sets pinned inputs, infers and reads outputs;
    /// the pins are released afterwards and a native failure becomes an <see cref="InferenceException"/> naming the graph.
    /// </summary>
    public static T Step<T>(string graphName, Func<List<GCHandle>, T> body)
    {
        var pins = new List<GCHandle>();
        try
        {
            return body(pins);
        }
        catch (OpenVinoException ex)
        {
            throw new InferenceException($"Running {graphName} with OpenVINO failed: {ex.Message}", ex);
        }
        finally
        {
            Release(pins);
        }
    }

    public static void Release(List<GCHandle> pins)
    {
        foreach (var pin in pins)
        {
            pin.Free();
        }

        pins.Clear();
    }

    /// <summary>Copies an output tensor (float32 or int64) into managed memory.</summary>
    public static TensorData ReadOutput(OvInferRequestHandle request, string name, OvElementTypes types)
    {
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_infer_request_get_tensor(request, name, out var tensor));
        using (tensor)
        {
            var shape = Shape(tensor);
            OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_tensor_get_element_type(tensor, out var type));
            OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_tensor_data(tensor, out var data));
            var count = checked((int)shape.Aggregate(1L, (a, d) => a * d));
            if (type == types.F32)
            {
                return TensorData.OfFloats(name, new ReadOnlySpan<float>(data, count).ToArray(), shape);
            }

            if (type == types.I64)
            {
                return TensorData.OfLongs(name, new ReadOnlySpan<long>(data, count).ToArray(), shape);
            }

            throw new InferenceException($"Output '{name}' is {types.Name(type)}; the engine reads float32 and int64 outputs.");
        }
    }

    /// <summary>Copies the last <paramref name="destination"/>.Length floats of a float32 output (the last logits row).</summary>
    public static void ReadTail(OvInferRequestHandle request, string name, Span<float> destination)
    {
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_infer_request_get_tensor(request, name, out var tensor));
        using (tensor)
        {
            // Pointer arithmetic in 64 bits: [1, S, vocab] logits pass 2^31 floats at ~14k tokens.
            var count = Shape(tensor).Aggregate(1L, (a, d) => a * d);
            if (count < destination.Length)
            {
                throw new InferenceException($"Output '{name}' has {count} values; {destination.Length} were expected.");
            }

            OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_tensor_data(tensor, out var data));
            new ReadOnlySpan<float>((float*)data + (count - destination.Length), destination.Length).CopyTo(destination);
        }
    }

    private static long[] Shape(OvTensorHandle tensor)
    {
        // Zero-initialised: for a scalar the C side leaves the struct untouched.
        var shape = default(OvShape);
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_tensor_get_shape(tensor, ref shape));
        try
        {
            return shape.Dims == 0 ? [] : new ReadOnlySpan<long>((void*)shape.Dims, (int)shape.Rank).ToArray();
        }
        finally
        {
            if (shape.Dims != 0)
            {
                OpenVinoInterop.ov_shape_free(ref shape);
            }
        }
    }
}
