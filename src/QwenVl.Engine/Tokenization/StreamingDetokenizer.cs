using System.Text;

namespace QwenVl.Engine.Tokenization;

/// <summary>
/// Turns generated ids into text deltas as they arrive. A character whose UTF-8 bytes are split across tokens
/// (common for CJK and emoji in byte-level BPE) is held back until it is complete, so no delta ever ends in half a
/// character; <see cref="Flush"/> emits what is left (as U+FFFD if the stream ended mid-character).
/// </summary>
public sealed class StreamingDetokenizer
{
    private readonly QwenTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];

    internal StreamingDetokenizer(QwenTokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>Adds one id and returns the text it completes (possibly empty).</summary>
    public string Append(int id)
    {
        if (_skipSpecialTokens && _tokenizer.IsSpecial(id))
        {
            return string.Empty;
        }

        var bytes = _tokenizer.TokenBytes(id);
        return Convert(bytes, flush: false);
    }

    /// <summary>Ends the stream and returns any held-back text.</summary>
    public string Flush() => Convert([], flush: true);

    private string Convert(ReadOnlySpan<byte> bytes, bool flush)
    {
        var needed = _decoder.GetCharCount(bytes, flush: false) + 4;
        if (_chars.Length < needed)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var count = _decoder.GetChars(bytes, _chars, flush);
        return count == 0 ? string.Empty : new string(_chars, 0, count);
    }
}
