using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using QwenVl.Engine.Runtime.OpenVino;
using QwenVl.Engine.Runtime.OpenVino.Native;

namespace QwenVl.Engine.Tests.Runtime;

/// <summary>The native contract, checked without the library: versions, enum tables, struct layouts, declarations, marshalling.</summary>
public class OpenVinoInteropTests
{
    [Theory]
    [InlineData("2025.4.1-19807-44526285f24", 2025, 4, 1)]
    [InlineData("2024.6.0-17404-4c0f47d2335-releases/2024/6", 2024, 6, 0)]
    [InlineData("2026.2", 2026, 2, 0)]
    public void Build_numbers_parse(string build, int major, int minor, int patch)
    {
        var version = OpenVinoVersion.Parse(build);

        Assert.Equal((major, minor, patch), (version.Major, version.Minor, version.Patch));
        Assert.Equal(build, version.BuildNumber);
    }

    [Fact]
    public void A_build_number_without_a_version_is_refused()
    {
        Assert.Throws<FormatException>(() => OpenVinoVersion.Parse("custom-build"));
    }

    [Theory]
    [InlineData("2024.6.0", 5u, 11u, 10u)] // UNDEFINED=0, DYNAMIC=1, …, F32=5, I32=10, I64=11
    [InlineData("2025.0.0", 5u, 11u, 10u)]
    [InlineData("2025.1.0", 4u, 10u, 9u)] // DYNAMIC=0 (UNDEFINED aliased), …, F32=4, I32=9, I64=10
    [InlineData("2025.4.1", 4u, 10u, 9u)]
    [InlineData("2026.2.0", 4u, 10u, 9u)]
    public void The_element_type_table_follows_the_2025_1_renumbering(string version, uint f32, uint i64, uint i32)
    {
        var types = OvElementTypes.For(OpenVinoVersion.Parse(version));

        Assert.Equal((f32, i64, i32), (types.F32, types.I64, types.I32));
        Assert.Equal("float32", types.Name(f32));
    }

    [Fact]
    public void Structs_have_the_C_layouts()
    {
        Assert.Equal(16, Unsafe.SizeOf<OvShape>());
        Assert.Equal(8, (int)Marshal.OffsetOf<OvShape>(nameof(OvShape.Dims)));
        Assert.Equal(16, Unsafe.SizeOf<OvDimension>());
        Assert.Equal(24, Unsafe.SizeOf<OvPartialShape>());
        Assert.Equal(16, (int)Marshal.OffsetOf<OvPartialShape>(nameof(OvPartialShape.Dims)));
        Assert.Equal(16, Unsafe.SizeOf<OvVersion>());
        Assert.Equal(16, Unsafe.SizeOf<OvAvailableDevices>());
        Assert.Equal(8, (int)Marshal.OffsetOf<OvAvailableDevices>(nameof(OvAvailableDevices.Size)));
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(7, 7, true)]
    [InlineData(0, -1, false)] // unbounded
    [InlineData(1, 10, false)]
    public void Dimensions_are_static_only_when_bounded_and_equal(long min, long max, bool isStatic)
    {
        Assert.Equal(isStatic, new OvDimension { Min = min, Max = max }.IsStatic);
    }

    [Fact]
    public void Every_import_targets_openvino_c_and_no_bool_crosses_the_boundary()
    {
        var methods = typeof(OpenVinoInterop).GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() is not null).ToArray();

        Assert.True(methods.Length > 30);
        foreach (var method in methods)
        {
            Assert.Equal("openvino_c", method.GetCustomAttribute<LibraryImportAttribute>()!.LibraryName);
            Assert.True(method.ReturnType != typeof(bool) && method.GetParameters().All(p => p.ParameterType != typeof(bool)), $"{method.Name} marshals a bool");
        }
    }

    [Fact]
    public void Variadic_compile_overloads_pass_whole_key_value_pairs_of_pointers()
    {
        var overloads = typeof(OpenVinoInterop).GetMethods(BindingFlags.Static | BindingFlags.Public)
            .Where(m => m.GetCustomAttribute<LibraryImportAttribute>()?.EntryPoint == "ov_core_compile_model").ToArray();

        Assert.Equal(4, overloads.Length);
        foreach (var overload in overloads)
        {
            var extra = overload.GetParameters().Skip(5).ToArray();
            Assert.Equal(0, extra.Length % 2);
            Assert.All(extra, p => Assert.Equal(typeof(nint), p.ParameterType));
            Assert.Equal($"ov_core_compile_model_{extra.Length}", overload.Name);
        }
    }

    [Fact]
    public void Properties_marshal_as_utf8_key_value_pointers_and_are_freed()
    {
        var cache = "/home/émile/.cache/qwenvl";
        using var list = new OvPropertyList([new("PERFORMANCE_HINT", "LATENCY"), new("CACHE_DIR", cache)]);

        Assert.Equal(4u, (uint)list.ArgumentCount);
        Assert.Equal("PERFORMANCE_HINT", Marshal.PtrToStringUTF8(list[0]));
        Assert.Equal("LATENCY", Marshal.PtrToStringUTF8(list[1]));
        Assert.Equal("CACHE_DIR", Marshal.PtrToStringUTF8(list[2]));
        Assert.Equal(cache, Marshal.PtrToStringUTF8(list[3]));

        list.Dispose();
        Assert.Equal(0, list[0]);
    }
}
