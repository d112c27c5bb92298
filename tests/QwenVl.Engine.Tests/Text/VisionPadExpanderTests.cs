using QwenVl.Engine.Tests.Tokenization;
using QwenVl.Engine.Text;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Text;

public class VisionPadExpanderTests
{
    [Fact]
    public void Expanding_ids_equals_tokenizing_the_HF_processors_expanded_text()
    {
        // HF replaces each <|image_pad|> in the text with grid.prod()//4 copies, then tokenizes.
        var tokenizer = QwenTokenizerTests.Tokenizer;
        const string text = "<|vision_start|><|image_pad|><|vision_end|>A<|vision_start|><|video_pad|><|vision_end|>B<|vision_start|><|image_pad|><|vision_end|>";
        GridThw[] images = [new(1, 4, 6), new(1, 2, 2)];
        GridThw[] videos = [new(2, 4, 4)];
        var hfText = text;
        hfText = ReplaceFirst(hfText, "<|image_pad|>", string.Concat(Enumerable.Repeat("<|placeholder|>", 6)));
        hfText = ReplaceFirst(hfText, "<|image_pad|>", string.Concat(Enumerable.Repeat("<|placeholder|>", 1)));
        hfText = ReplaceFirst(hfText, "<|video_pad|>", string.Concat(Enumerable.Repeat("<|vplaceholder|>", 8)));
        hfText = hfText.Replace("<|placeholder|>", "<|image_pad|>", StringComparison.Ordinal).Replace("<|vplaceholder|>", "<|video_pad|>", StringComparison.Ordinal);

        var expanded = VisionPadExpander.Expand(tokenizer.Encode(text), 151655, 151656, images, videos, 2);

        Assert.Equal(tokenizer.Encode(hfText), expanded);
    }

    [Fact]
    public void A_count_mismatch_is_an_error()
    {
        var error = Assert.Throws<ArgumentException>(() => VisionPadExpander.Expand([151655, 151655], 151655, 151656, [new GridThw(1, 2, 2)], [], 2));

        Assert.Contains("2 image placeholder(s) but 1 image(s)", error.Message, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string s, string what, string with)
    {
        var i = s.IndexOf(what, StringComparison.Ordinal);
        return string.Concat(s.AsSpan(0, i), with, s.AsSpan(i + what.Length));
    }
}
