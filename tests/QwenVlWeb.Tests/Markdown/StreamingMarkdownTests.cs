using QwenVlWeb.Markdown;

namespace QwenVlWeb.Tests.Markdown;

public sealed class StreamingMarkdownTests
{
    private const string Answer = """
        # Findings

        The image shows **three** fruits:

        1. an apple
        2. a banana

        ```json
        [{"bbox_2d": [60, 120, 200, 260], "label": "apple"}]

        [{"bbox_2d": [250, 150, 380, 250], "label": "banana"}]
        ```

        | fruit | colour |
        |-------|--------|
        | apple | red    |

        Done.
        """;

    private readonly MarkdownRenderer _renderer = new();

    [Fact]
    public void Streaming_token_by_token_ends_with_exactly_the_one_shot_render()
    {
        var streaming = new StreamingMarkdown(_renderer);
        foreach (var piece in Pieces(Answer, 3))
        {
            streaming.Append(piece);
            streaming.Refresh();
        }

        streaming.Complete();

        Assert.Equal(_renderer.ToHtml(Answer), Assert.Single(streaming.Blocks).Value);
        Assert.Equal(Answer, streaming.Text);
    }

    [Fact]
    public void A_blank_line_inside_a_code_fence_does_not_cut_a_block()
    {
        var streaming = new StreamingMarkdown(_renderer);
        var upToFence = Answer[..(Answer.IndexOf("| fruit", StringComparison.Ordinal))];
        streaming.Append(upToFence);
        streaming.Refresh();

        // Blocks: the heading, the sentence, the list, and the whole fence (its blank line kept it together).
        var fence = Assert.Single(streaming.Blocks, b => b.Value.Contains("<pre>", StringComparison.Ordinal));
        Assert.Contains("banana", fence.Value, StringComparison.Ordinal);
        Assert.Equal(4, streaming.Blocks.Count);
    }

    [Fact]
    public void Finished_blocks_are_rendered_once_so_work_grows_linearly()
    {
        // 400 paragraphs streamed 5 characters at a time: re-rendering everything each time would touch
        // ~(n²/2)/5 characters; rendering only the open tail touches each character a few times.
        var text = string.Concat(Enumerable.Range(0, 400).Select(i => $"Paragraph {i} with some words in it.\n\n"));
        var streaming = new StreamingMarkdown(_renderer);
        foreach (var piece in Pieces(text, 5))
        {
            streaming.Append(piece);
            streaming.Refresh();
        }

        Assert.Equal(400, streaming.Blocks.Count);
        Assert.True(streaming.Work.Characters < text.Length * 10L, $"rendered {streaming.Work.Characters:N0} characters for a {text.Length:N0}-character answer");
    }

    [Fact]
    public void The_open_tail_shows_text_before_its_block_is_finished()
    {
        var streaming = new StreamingMarkdown(_renderer);
        streaming.Append("Hello **wor");
        streaming.Refresh();

        Assert.Empty(streaming.Blocks);
        Assert.Contains("Hello", streaming.Tail.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", streaming.Tail.Value, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Pieces(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
