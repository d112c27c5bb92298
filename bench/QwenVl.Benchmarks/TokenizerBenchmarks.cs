using BenchmarkDotNet.Attributes;
using QwenVl.Engine.Tokenization;

namespace QwenVl.Benchmarks;

/// <summary>Target (issue 2): encode a 1,000-token prompt in ≤ 2 ms.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class TokenizerBenchmarks
{
    private QwenTokenizer _tokenizer = null!;
    private string _prompt = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = QwenTokenizer.FromFile(BenchmarkAssets.TokenizerJson());

        // Mixed prose, code, numbers and CJK, templated like a real turn, grown until it is 1,000 tokens.
        const string chunk = "The quarterly report (Q3 2024) shows revenue of $4,512.07 million, up 12% year-on-year. " +
            "def parse(row):\n    return [float(x) for x in row.split(',')]\n" +
            "图片中有一只猫坐在窗台上，阳光照在它的身上。 Les résultats sont très encourageants! ";
        var text = string.Empty;
        while (_tokenizer.Encode(text).Length < 1000)
        {
            text += chunk;
        }

        var ids = _tokenizer.Encode(text);
        _prompt = _tokenizer.Decode(ids[..1000]);
        if (_tokenizer.Encode(_prompt).Length is < 990 or > 1010)
        {
            throw new InvalidOperationException("The benchmark prompt is not ~1,000 tokens.");
        }
    }

    [Benchmark(Description = "Encode a 1,000-token prompt")]
    public int[] Encode() => _tokenizer.Encode(_prompt);
}
