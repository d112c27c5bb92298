using System.IO.Compression;
using System.Text.Json;

namespace QwenVl.Engine.Tests.TestSupport;

/// <summary>Paths of the committed test assets, and a real-configuration model folder built from them once per run.</summary>
internal static class TestAssets
{
    private static readonly Lazy<string> LazyModelFolder = new(CreateModelFolder, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> LazyTinyModel = new(() =>
    {
        var folder = NewTempFolder();
        global::QwenVl.ModelBuilder.GeneratedModelWriter.Write(folder, global::QwenVl.ModelBuilder.ModelPreset.Tiny, seed: 7);
        return folder;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<JsonDocument> LazyGolden = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Golden, "golden.json"))));

    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "assets");

    public static string Golden => Path.Combine(Root, "golden");

    public static string Images => Path.Combine(Root, "images");

    public static string ConfigFiles => Path.Combine(Root, "qwen2.5-vl-3b-instruct");

    /// <summary>A folder with the real Qwen2.5-VL-3B-Instruct configuration files and the Qwen tokenizer.json (no graphs).</summary>
    public static string ModelFolder => LazyModelFolder.Value;

    /// <summary>golden.json, written by tests/tools/make_golden.py from Pillow, jinja2 and numpy.</summary>
    public static JsonElement GoldenJson => LazyGolden.Value.RootElement;

    public static string TokenizerJson => Path.Combine(ModelFolder, "tokenizer.json");

    /// <summary>The generated <c>tiny</c> model (seed 7), written once per test run; treat it as read-only.</summary>
    public static string TinyModelFolder => LazyTinyModel.Value;

    /// <summary>A fresh empty folder that is deleted when the test process ends.</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "qwenvl-tests-" + Environment.ProcessId, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Copies the configuration files (and the tokenizer) into a new folder, for tests that break one of them.</summary>
    public static string CopyOfModelFolder()
    {
        var copy = NewTempFolder();
        foreach (var file in Directory.GetFiles(ModelFolder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private static string CreateModelFolder()
    {
        var folder = NewTempFolder();
        foreach (var file in Directory.GetFiles(ConfigFiles, "*.json"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        using var gz = new GZipStream(File.OpenRead(Path.Combine(Root, "qwen-tokenizer", "tokenizer.json.gz")), CompressionMode.Decompress);
        using var output = File.Create(Path.Combine(folder, "tokenizer.json"));
        gz.CopyTo(output);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(Path.GetDirectoryName(folder)!);
        return folder;
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
