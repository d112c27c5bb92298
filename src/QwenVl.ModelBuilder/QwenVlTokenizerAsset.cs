using System.IO.Compression;

namespace QwenVl.ModelBuilder;

/// <summary>The real Qwen vocabulary embedded in this assembly (Assets/qwen-tokenizer).</summary>
internal static class QwenTokenizerAsset
{
    public static void WriteTo(string folder)
    {
        using var resource = typeof(QwenTokenizerAsset).Assembly.GetManifestResourceStream("qwen-tokenizer.json.gz")
            ?? throw new InvalidOperationException("The embedded Qwen tokenizer is missing from the model builder.");
        using var gz = new GZipStream(resource, CompressionMode.Decompress);
        using var tokenizer = File.Create(Path.Combine(folder, "tokenizer.json"));
        gz.CopyTo(tokenizer);
    }
}
