using System.IO.Compression;
using QwenVl.Engine.Model;
using QwenVl.Engine.Vision;

namespace QwenVl.Benchmarks;

/// <summary>Inputs shared by the benchmarks: the demo-sized photo, the model's preprocessor config, the Qwen tokenizer.</summary>
internal static class BenchmarkAssets
{
    /// <summary>The preprocessor_config.json of Qwen2.5-VL-3B-Instruct (tests/assets).</summary>
    public static PreprocessorConfig Preprocessor { get; } =
        ModelFolder.ReadPreprocessorConfig(Path.GetDirectoryName(FindUp(Path.Combine("tests", "assets", "qwen2.5-vl-3b-instruct", "preprocessor_config.json")))!);

    /// <summary>
    /// A 2048×1365 image (the notebook's demo photo size) with photo-like content: smooth gradients plus texture,
    /// so no code path can shortcut flat regions.
    /// </summary>
    public static RgbImage DemoSizedPhoto()
    {
        const int w = 2048, h = 1365;
        var pixels = new byte[w * h * 3];
        var seed = 0x9E3779B9u;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                seed = (seed * 1664525) + 1013904223;
                var noise = (int)(seed >> 27);
                var i = ((y * w) + x) * 3;
                pixels[i] = (byte)((x * 255 / w) + noise);
                pixels[i + 1] = (byte)((y * 255 / h) + noise);
                pixels[i + 2] = (byte)(((x + y) * 3) + noise);
            }
        }

        return new RgbImage(w, h, pixels);
    }

    /// <summary>Decompresses the committed Qwen tokenizer.json (src/QwenVl.ModelBuilder/Assets) into a temp file.</summary>
    public static string TokenizerJson()
    {
        var gz = FindUp(Path.Combine("src", "QwenVl.ModelBuilder", "Assets", "qwen-tokenizer", "tokenizer.json.gz"));
        var path = Path.Combine(Path.GetTempPath(), "qwenvl-bench-tokenizer.json");
        if (!File.Exists(path))
        {
            using var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
            using var output = File.Create(path);
            input.CopyTo(output);
        }

        return path;
    }

    private static string FindUp(string relative)
    {
        // BenchmarkDotNet runs each benchmark in a generated project under bin/; search upwards for the repository file.
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Run the benchmarks from inside the repository: {relative} was not found above {Directory.GetCurrentDirectory()}.");
    }
}
