using BenchmarkDotNet.Attributes;
using QwenVlWeb.Markdown;

namespace QwenVlWeb.Benchmarks;

/// <summary>
/// Markdown work for one streamed 2,000-token answer. <c>Streaming</c> refreshes after every <see cref="TokensPerRender"/>
/// tokens (1: a render per token, the worst case, as when the model is slower than the page's 33 ms batches) and ends
/// with the full render; <c>ReRenderAll</c> is the peer that renders the whole text each time; <c>OneShot</c> renders the
/// finished answer once.
/// </summary>
[MemoryDiagnoser]
public class MarkdownStreamingBenchmarks
{
    private readonly MarkdownRenderer _renderer = new();
    private IReadOnlyList<string> _pieces = [];

    [Params(1, 8)]
    public int TokensPerRender { get; set; }

    [GlobalSetup]
    public void Setup() => _pieces = AnswerText.Pieces(AnswerText.LoadTokenizer());

    [Benchmark(Baseline = true)]
    public int Streaming()
    {
        var markdown = new StreamingMarkdown(_renderer);
        for (var i = 0; i < _pieces.Count; i++)
        {
            markdown.Append(_pieces[i]);
            if ((i + 1) % TokensPerRender == 0)
            {
                markdown.Refresh();
            }
        }

        markdown.Complete();
        return markdown.Blocks.Count;
    }

    [Benchmark]
    public int ReRenderAll()
    {
        var text = new System.Text.StringBuilder();
        var length = 0;
        for (var i = 0; i < _pieces.Count; i++)
        {
            text.Append(_pieces[i]);
            if ((i + 1) % TokensPerRender == 0)
            {
                length += _renderer.ToHtml(text.ToString()).Length;
            }
        }

        return length;
    }

    [Benchmark]
    public int OneShot() => _renderer.ToHtml(string.Concat(_pieces)).Length;
}
