namespace QwenVl.Engine.Tokenization;

/// <summary>
/// GPT-2's byte-level alphabet: every byte has a printable stand-in character, and vocabulary entries are written
/// in those characters. Mapping them back gives the exact bytes of each token, which is what a UTF-8-safe
/// streaming decoder needs.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly int[] CharToByte = BuildCharToByte();

    /// <summary>Returns the bytes a byte-level token stands for, or null when it holds a character outside the alphabet.</summary>
    public static byte[]? ToBytes(string token)
    {
        var bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            var b = c < CharToByte.Length ? CharToByte[c] : -1;
            if (b < 0)
            {
                return null;
            }

            bytes[i] = (byte)b;
        }

        return bytes;
    }

    private static int[] BuildCharToByte()
    {
        var map = new int[512];
        Array.Fill(map, -1);
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[printable ? b : next++] = b;
        }

        return map;
    }
}
