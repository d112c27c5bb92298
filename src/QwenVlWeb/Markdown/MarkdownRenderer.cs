using System.Diagnostics;
using Ganss.Xss;
using Markdig;

namespace QwenVlWeb.Markdown;

/// <summary>
/// Model output is untrusted: Markdig with raw HTML disabled (so <c>&lt;script&gt;</c> is shown as text), then
/// HtmlSanitizer over the result as a second wall (links keep only http, https and mailto; no images, so an answer
/// cannot make browsers fetch addresses on the LAN; links open in a new tab without a referrer). Thread-safe.
/// </summary>
public sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseGridTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseListExtras()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();
    private long _renders;
    private long _elapsedTicks;

    /// <summary>Renders so far and the time they took (all threads), so a benchmark can weigh rendering against generation.</summary>
    public (long Renders, TimeSpan Elapsed) Work => (Interlocked.Read(ref _renders), TimeSpan.FromTicks(Interlocked.Read(ref _elapsedTicks)));

    /// <summary>Markdown to safe HTML.</summary>
    public string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        if (markdown.Length == 0)
        {
            return string.Empty;
        }

        var start = Stopwatch.GetTimestamp();
        var html = _sanitizer.Sanitize(Markdig.Markdown.ToHtml(markdown, _pipeline));
        Interlocked.Increment(ref _renders);
        Interlocked.Add(ref _elapsedTicks, Stopwatch.GetElapsedTime(start).Ticks);
        return html;
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Remove("img");
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Add("input"); // Task-list check boxes; only the disabled, checked attributes survive below.
        sanitizer.AllowedAttributes.Clear();
        foreach (var attribute in new[] { "href", "title", "class", "align", "colspan", "rowspan", "start", "type", "checked", "disabled", "lang" })
        {
            sanitizer.AllowedAttributes.Add(attribute);
        }

        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement element)
            {
                if (element.LocalName == "a")
                {
                    element.SetAttribute("target", "_blank");
                    element.SetAttribute("rel", "noopener noreferrer nofollow");
                }
                else if (element.LocalName == "input")
                {
                    element.SetAttribute("disabled", "disabled");
                    element.SetAttribute("type", "checkbox");
                }
            }
        };
        return sanitizer;
    }
}
