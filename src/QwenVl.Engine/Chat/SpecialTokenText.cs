namespace QwenVl.Engine.Chat;

/// <summary>
/// Makes untrusted text unable to act as control tokens. Qwen's tokenizer (like HF's) turns an added token written in
/// the text, such as <c>&lt;|im_end|&gt;</c> or <c>&lt;|image_pad|&gt;</c>, into that token, so a pasted string could
/// close the user's turn or claim vision slots. A WORD JOINER (U+2060, invisible) after the token's first character
/// keeps the characters but breaks the match; text without added tokens is returned unchanged (same instance).
/// </summary>
public static class SpecialTokenText
{
    public const char Joiner = '\u2060';

    public static string Neutralize(string text, IEnumerable<string> addedTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(addedTokens);
        var result = text;
        foreach (var token in addedTokens)
        {
            if (token.Length >= 2 && result.Contains(token, StringComparison.Ordinal))
            {
                result = result.Replace(token, string.Concat(token.AsSpan(0, 1), [Joiner], token.AsSpan(1)), StringComparison.Ordinal);
            }
        }

        return result;
    }
}
