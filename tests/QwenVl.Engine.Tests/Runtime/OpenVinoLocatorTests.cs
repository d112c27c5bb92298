using QwenVl.Engine.Runtime.OpenVino;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Runtime;

/// <summary>Discovery order and choices on fake folder layouts (empty files stand in for the libraries).</summary>
public class OpenVinoLocatorTests
{
    private readonly string _root = TestAssets.NewTempFolder();

    [Fact]
    public void Finds_nothing_in_an_empty_world_and_says_everywhere_it_looked()
    {
        var location = OpenVinoLocator.Locate(Settings(configured: Path.Combine(_root, "configured")));

        Assert.Null(location.LibraryPath);
        Assert.Collection(location.Searched,
            s => Assert.Contains("configured path", s, StringComparison.Ordinal),
            s => Assert.Contains("Python openvino wheel", s, StringComparison.Ordinal),
            s => Assert.Contains("openvino*", s, StringComparison.Ordinal),
            s => Assert.Contains("application folder", s, StringComparison.Ordinal),
            s => Assert.Contains("system library search path", s, StringComparison.Ordinal));
    }

    [Fact]
    public void The_search_order_is_configured_environment_wheel_archive_app_folder()
    {
        var configured = Library("configured", "libopenvino_c.so");
        var fromEnvFolder = Library("env", "libopenvino_c.so");
        var wheel = Library(Path.Combine("site", "openvino", "libs"), "libopenvino_c.so.2541");
        var archive = Library(Path.Combine("intel", "openvino_2025.4", "runtime", "lib", "intel64"), "libopenvino_c.so");
        var app = Library("app", "libopenvino_c.so");
        var environment = new Dictionary<string, string> { [OpenVinoSearchSettings.FolderVariable] = Path.GetDirectoryName(fromEnvFolder)! };

        Assert.Equal(configured, OpenVinoLocator.Locate(Settings(Path.GetDirectoryName(configured), environment)).LibraryPath);
        Assert.Equal(fromEnvFolder, OpenVinoLocator.Locate(Settings(null, environment)).LibraryPath);
        Assert.Equal(wheel, OpenVinoLocator.Locate(Settings(null)).LibraryPath);
        File.Delete(wheel);
        Assert.Equal(archive, OpenVinoLocator.Locate(Settings(null)).LibraryPath);
        File.Delete(archive);
        var last = OpenVinoLocator.Locate(Settings(null));
        Assert.Equal(app, last.LibraryPath);
        Assert.Equal("the application folder", last.Source);
    }

    [Fact]
    public void A_configured_or_environment_file_path_is_taken_as_it_is()
    {
        var file = Library("custom", "libopenvino_c.so.2620");
        var environment = new Dictionary<string, string> { [OpenVinoSearchSettings.FileVariable] = file };

        Assert.Equal(file, OpenVinoLocator.Locate(Settings(file)).LibraryPath);
        Assert.Equal(file, OpenVinoLocator.Locate(Settings(null, environment)).LibraryPath);
    }

    [Fact]
    public void In_a_folder_the_unversioned_name_wins_else_the_highest_numeric_suffix()
    {
        var folder = Path.Combine(_root, "libs");
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "libopenvino_c.so.2520", "libopenvino_c.so.2541", "libopenvino_c.so.2025.4.1", "libopenvino_c.so.backup" })
        {
            File.WriteAllBytes(Path.Combine(folder, name), []);
        }

        Assert.Equal(Path.Combine(folder, "libopenvino_c.so.2541"), OpenVinoLocator.FindInFolder(folder, "libopenvino_c.so"));
        File.WriteAllBytes(Path.Combine(folder, "libopenvino_c.so"), []);
        Assert.Equal(Path.Combine(folder, "libopenvino_c.so"), OpenVinoLocator.FindInFolder(folder, "libopenvino_c.so"));
    }

    [Fact]
    public void The_newest_archive_install_is_preferred()
    {
        Library(Path.Combine("intel", "openvino_2024.6.0", "runtime", "lib", "intel64"), "libopenvino_c.so");
        var newest = Library(Path.Combine("intel", "openvino_2025.4.1", "runtime", "lib", "intel64"), "libopenvino_c.so");

        Assert.Equal(newest, OpenVinoLocator.Locate(Settings(null)).LibraryPath);
    }

    [Fact]
    public void Windows_looks_for_the_dll_in_the_archive_bin_folder()
    {
        var dll = Library(Path.Combine("intel", "openvino_2025.4", "runtime", "bin", "intel64", "Release"), "openvino_c.dll");

        Assert.Equal(dll, OpenVinoLocator.Locate(Settings(null) with { IsWindows = true }).LibraryPath);
    }

    private string Library(string folder, string name)
    {
        var directory = Path.Combine(_root, folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, []);
        return path;
    }

    private OpenVinoSearchSettings Settings(string? configured, Dictionary<string, string>? environment = null) => new()
    {
        ConfiguredPath = configured,
        Environment = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
        PythonSitePackages = [Path.Combine(_root, "site")],
        IntelRoot = Path.Combine(_root, "intel"),
        AppFolder = Path.Combine(_root, "app"),
        IsWindows = false,
    };
}
