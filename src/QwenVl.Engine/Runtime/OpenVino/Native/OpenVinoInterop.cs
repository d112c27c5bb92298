using System.Runtime.InteropServices;

namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>
/// The subset of the OpenVINO C API (<c>openvino_c</c>) the engine uses. Strings are UTF-8; <c>size_t</c> is
/// <see cref="nuint"/>; no C <c>bool</c> crosses this boundary. Variadic property functions are declared with fixed
/// arity and pointer-sized arguments only (the calling conventions of x86-64 and Linux/Windows arm64 pass those
/// like fixed arguments). The element-type enum is passed as its raw number, chosen by <see cref="OvElementTypes"/>.
/// </summary>
internal static unsafe partial class OpenVinoInterop
{
    public const string Library = "openvino_c";

    [LibraryImport(Library)]
    public static partial OvStatus ov_get_openvino_version(out OvVersion version);

    [LibraryImport(Library)]
    public static partial void ov_version_free(ref OvVersion version);

    /// <summary>A new copy of the last error message (or NULL); free with <see cref="ov_free"/>.</summary>
    [LibraryImport(Library)]
    public static partial nint ov_get_last_err_msg();

    [LibraryImport(Library)]
    public static partial void ov_free(nint content);

    [LibraryImport(Library)]
    public static partial OvStatus ov_core_create(out OvCoreHandle core);

    [LibraryImport(Library)]
    public static partial void ov_core_free(nint core);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial OvStatus ov_core_read_model(OvCoreHandle core, string modelPath, string? binPath, out OvModelHandle model);

    [LibraryImport(Library)]
    public static partial void ov_model_free(nint model);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, EntryPoint = "ov_core_compile_model")]
    public static partial OvStatus ov_core_compile_model_0(OvCoreHandle core, OvModelHandle model, string device, nuint propertyArgsSize, out OvCompiledModelHandle compiled);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, EntryPoint = "ov_core_compile_model")]
    public static partial OvStatus ov_core_compile_model_2(OvCoreHandle core, OvModelHandle model, string device, nuint propertyArgsSize, out OvCompiledModelHandle compiled,
        nint key1, nint value1);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, EntryPoint = "ov_core_compile_model")]
    public static partial OvStatus ov_core_compile_model_4(OvCoreHandle core, OvModelHandle model, string device, nuint propertyArgsSize, out OvCompiledModelHandle compiled,
        nint key1, nint value1, nint key2, nint value2);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, EntryPoint = "ov_core_compile_model")]
    public static partial OvStatus ov_core_compile_model_6(OvCoreHandle core, OvModelHandle model, string device, nuint propertyArgsSize, out OvCompiledModelHandle compiled,
        nint key1, nint value1, nint key2, nint value2, nint key3, nint value3);

    [LibraryImport(Library)]
    public static partial void ov_compiled_model_free(nint compiled);

    [LibraryImport(Library)]
    public static partial OvStatus ov_core_get_available_devices(OvCoreHandle core, out OvAvailableDevices devices);

    [LibraryImport(Library)]
    public static partial void ov_available_devices_free(ref OvAvailableDevices devices);

    [LibraryImport(Library)]
    public static partial OvStatus ov_model_inputs_size(OvModelHandle model, out nuint size);

    [LibraryImport(Library)]
    public static partial OvStatus ov_model_outputs_size(OvModelHandle model, out nuint size);

    [LibraryImport(Library)]
    public static partial OvStatus ov_model_const_input_by_index(OvModelHandle model, nuint index, out OvPortHandle port);

    [LibraryImport(Library)]
    public static partial OvStatus ov_model_const_output_by_index(OvModelHandle model, nuint index, out OvPortHandle port);

    [LibraryImport(Library)]
    public static partial void ov_output_const_port_free(nint port);

    /// <summary>The port's tensor name; free with <see cref="ov_free"/>.</summary>
    [LibraryImport(Library)]
    public static partial OvStatus ov_port_get_any_name(OvPortHandle port, out nint name);

    [LibraryImport(Library)]
    public static partial OvStatus ov_port_get_partial_shape(OvPortHandle port, out OvPartialShape shape);

    [LibraryImport(Library)]
    public static partial void ov_partial_shape_free(ref OvPartialShape shape);

    [LibraryImport(Library)]
    public static partial OvStatus ov_port_get_element_type(OvPortHandle port, out uint elementType);

    [LibraryImport(Library)]
    public static partial OvStatus ov_compiled_model_create_infer_request(OvCompiledModelHandle compiled, out OvInferRequestHandle request);

    [LibraryImport(Library)]
    public static partial void ov_infer_request_free(nint request);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial OvStatus ov_infer_request_set_tensor(OvInferRequestHandle request, string name, OvTensorHandle tensor);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial OvStatus ov_infer_request_get_tensor(OvInferRequestHandle request, string name, out OvTensorHandle tensor);

    [LibraryImport(Library)]
    public static partial OvStatus ov_infer_request_infer(OvInferRequestHandle request);

    /// <summary>Wraps host memory without copying: it must stay pinned while any holder (the request too) can use it.</summary>
    [LibraryImport(Library)]
    public static partial OvStatus ov_tensor_create_from_host_ptr(uint elementType, OvShape shape, void* hostPointer, out OvTensorHandle tensor);

    [LibraryImport(Library)]
    public static partial OvStatus ov_tensor_get_shape(OvTensorHandle tensor, ref OvShape shape);

    [LibraryImport(Library)]
    public static partial OvStatus ov_shape_free(ref OvShape shape);

    [LibraryImport(Library)]
    public static partial OvStatus ov_tensor_get_element_type(OvTensorHandle tensor, out uint elementType);

    [LibraryImport(Library)]
    public static partial OvStatus ov_tensor_data(OvTensorHandle tensor, out void* data);

    [LibraryImport(Library)]
    public static partial void ov_tensor_free(nint tensor);
}
