using QwenVlWeb.Markdown;

namespace QwenVlWeb.Tests.Markdown;

public sealed class MarkdownRendererTests
{
    private readonly MarkdownRenderer _renderer = new();

    [Theory]
    [InlineData("<script>alert(1)</script>", "script")]
    [InlineData("<img src=x onerror=alert(1)>", "img")]
    [InlineData("[click](javascript:alert(1))", "javascript:")]
    [InlineData("<a href=\"https://x\" onclick=\"alert(1)\">x</a>", "onclick")]
    [InlineData("![tracker](http://192.168.1.1/pixel.png)", "img")]
    [InlineData("<iframe src=\"https://example.org\"></iframe>", "iframe")]
    public void Hostile_markup_comes_out_inert(string markdown, string forbidden)
    {
        var html = _renderer.ToHtml(markdown);

        // Nothing inside a tag: the payload may survive only as visible, escaped text.
        Assert.DoesNotMatch("<[^>]*" + System.Text.RegularExpressions.Regex.Escape(forbidden), html);
    }

    [Fact]
    public void Raw_html_is_shown_as_text()
    {
        var html = _renderer.ToHtml("<script>alert(1)</script>");

        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_lists_code_and_autolinks_render()
    {
        var html = _renderer.ToHtml("| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n```json\n{\"bbox_2d\": [1, 2, 3, 4]}\n```\n\nSee https://qwenlm.github.io for more.");

        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<li>one</li>", html, StringComparison.Ordinal);
        Assert.Contains("<code class=\"language-json\">", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://qwenlm.github.io\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"noopener noreferrer nofollow\"", html, StringComparison.Ordinal);
        Assert.Contains("target=\"_blank\"", html, StringComparison.Ordinal);
    }
}
