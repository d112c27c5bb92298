using Microsoft.AspNetCore.Components;

namespace QwenVlWeb.Markdown;

/// <summary>
/// An answer's markdown while it streams. Text up to the last blank line outside a code fence is cut into finished
/// blocks, each rendered once; only the open tail is rendered again as tokens arrive, so a long answer costs O(n)
/// rather than O(n²). When the answer completes, the whole text is rendered once more, so constructs that span blank
/// lines (loose lists, reference links) come out exactly as a one-shot render would.
/// </summary>
public sealed class StreamingMarkdown
{
    private readonly MarkdownRenderer _renderer;
    private readonly List<MarkupString> _blocks = [];
    private readonly System.Text.StringBuilder _text = new();
    private int _blockEnd;   // _text[.._blockEnd] is rendered into _blocks.
    private int _scanFrom;   // Where the next search for a block boundary starts (the start of an unscanned line).
    private bool _inFence;
    private string? _fence;
    private string? _tailSource;

    public StreamingMarkdown(MarkdownRenderer renderer) => _renderer = renderer ?? throw new ArgumentNullException(nameof(renderer));

    /// <summary>The whole text so far.</summary>
    public string Text => _text.ToString();

    /// <summary>Rendered finished blocks; they never change once added (until <see cref="Complete"/>).</summary>
    public IReadOnlyList<MarkupString> Blocks => _blocks;

    /// <summary>The rendered open tail.</summary>
    public MarkupString Tail { get; private set; }

    /// <summary>True once <see cref="Complete"/> rendered the whole text.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Markdown renders done so far, and the characters they covered (for the benchmark and tests).</summary>
    public (int Renders, long Characters) Work { get; private set; }

    public void Append(string delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (IsComplete)
        {
            throw new InvalidOperationException("The answer is complete.");
        }

        _text.Append(delta);
    }

    /// <summary>Brings <see cref="Blocks"/> and <see cref="Tail"/> up to date with the text; call before rendering.</summary>
    public void Refresh()
    {
        if (IsComplete)
        {
            return;
        }

        ScanForBoundaries();
        var tail = _text.ToString(_blockEnd, _text.Length - _blockEnd);
        if (tail != _tailSource)
        {
            _tailSource = tail;
            Tail = Render(tail);
        }
    }

    /// <summary>Renders the whole text once, as a single document.</summary>
    public void Complete()
    {
        if (IsComplete)
        {
            return;
        }

        IsComplete = true;
        _blocks.Clear();
        _blocks.Add(Render(_text.ToString()));
        Tail = default;
        _tailSource = null;
    }

    private void ScanForBoundaries()
    {
        // Only whole lines are examined; a line is complete once its '\n' has arrived.
        while (true)
        {
            var newline = IndexOf('\n', _scanFrom);
            if (newline < 0)
            {
                return;
            }

            var line = _text.ToString(_scanFrom, newline - _scanFrom);
            _scanFrom = newline + 1;
            var trimmed = line.TrimStart(' ');
            if (line.Length - trimmed.Length <= 3 && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                var marker = trimmed[..3];
                if (!_inFence)
                {
                    _inFence = true;
                    _fence = marker;
                }
                else if (marker == _fence && trimmed.TrimEnd().Trim(marker[0]).Length == 0)
                {
                    _inFence = false;
                }

                continue;
            }

            if (!_inFence && string.IsNullOrWhiteSpace(line) && _scanFrom - 1 > _blockEnd)
            {
                var block = _text.ToString(_blockEnd, _scanFrom - _blockEnd);
                if (!string.IsNullOrWhiteSpace(block))
                {
                    _blocks.Add(Render(block));
                }

                _blockEnd = _scanFrom;
            }
        }
    }

    private int IndexOf(char value, int from)
    {
        for (var i = from; i < _text.Length; i++)
        {
            if (_text[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private MarkupString Render(string markdown)
    {
        Work = (Work.Renders + 1, Work.Characters + markdown.Length);
        return new MarkupString(_renderer.ToHtml(markdown));
    }
}
