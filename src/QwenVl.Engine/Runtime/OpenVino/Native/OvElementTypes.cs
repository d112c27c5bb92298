namespace QwenVl.Engine.Runtime.OpenVino.Native;

/// <summary>
/// The numbers of <c>ov_element_type_e</c> for one runtime version. OpenVINO 2025.1 renumbered the enum (UNDEFINED
/// became an alias of DYNAMIC = 0, shifting every type down by one), and a wrong table is silent: the new F32 (4) is
/// the old F16. So the table is chosen from <c>ov_get_openvino_version()</c>.
/// </summary>
internal sealed record OvElementTypes(uint Boolean, uint F16, uint F32, uint I32, uint I64, uint U8)
{
    /// <summary>≤ 2025.0: UNDEFINED=0, DYNAMIC=1, BOOLEAN=2, BF16=3, F16=4, F32=5, F64=6, I4=7, I8=8, I16=9, I32=10, I64=11, …, U8=17.</summary>
    public static OvElementTypes Before2025_1 { get; } = new(Boolean: 2, F16: 4, F32: 5, I32: 10, I64: 11, U8: 17);

    /// <summary>≥ 2025.1: DYNAMIC=0, BOOLEAN=1, BF16=2, F16=3, F32=4, F64=5, I4=6, I8=7, I16=8, I32=9, I64=10, …, U8=16.</summary>
    public static OvElementTypes Since2025_1 { get; } = new(Boolean: 1, F16: 3, F32: 4, I32: 9, I64: 10, U8: 16);

    public static OvElementTypes For(OpenVinoVersion version) => version.AtLeast(2025, 1) ? Since2025_1 : Before2025_1;

    /// <summary>A readable name for a number from this table ("float32", "int64", …, or "type 7").</summary>
    public string Name(uint value) =>
        value == F32 ? "float32" : value == I64 ? "int64" : value == I32 ? "int32" : value == F16 ? "float16" : value == U8 ? "uint8" : value == Boolean ? "bool" : $"type {value}";
}
