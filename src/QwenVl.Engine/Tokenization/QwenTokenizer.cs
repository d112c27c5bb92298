using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using QwenVl.Engine.Model;

namespace QwenVl.Engine.Tokenization;

/// <summary>
/// The Qwen2 byte-level BPE tokenizer, loaded from a Hugging Face <c>tokenizer.json</c>. Encoding runs on
/// Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> with Qwen's pre-tokenizer regex, NFC, and the added tokens
/// matched as single ids. No BOS is added: Qwen2 adds none.
/// </summary>
public sealed class QwenTokenizer
{
    /// <summary>The pre-tokenizer pattern of Qwen2/2.5 tokenizer.json, used when the file does not carry one.</summary>
    public const string QwenPreTokenizerPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int> _addedTokens;
    private readonly byte[][] _tokenBytes;
    private readonly bool[] _isSpecial;

    private QwenTokenizer(BpeTokenizer bpe, Dictionary<string, int> addedTokens, byte[][] tokenBytes, bool[] isSpecial)
    {
        _bpe = bpe;
        _addedTokens = addedTokens;
        _tokenBytes = tokenBytes;
        _isSpecial = isSpecial;
    }

    /// <summary>Number of ids (base vocabulary plus added tokens), i.e. one past the largest id.</summary>
    public int VocabularySize => _tokenBytes.Length;

    /// <summary>The added tokens (<c>&lt;|im_start|&gt;</c>, <c>&lt;|image_pad|&gt;</c>, …) and their ids.</summary>
    public IReadOnlyDictionary<string, int> AddedTokens => _addedTokens;

    /// <summary>Loads <c>tokenizer.json</c> from a file.</summary>
    /// <exception cref="ModelFolderException">The file is missing or is not a byte-level BPE tokenizer.</exception>
    public static QwenTokenizer FromFile(string tokenizerJsonPath)
    {
        if (!File.Exists(tokenizerJsonPath))
        {
            throw new ModelFolderException($"{Path.GetFileName(tokenizerJsonPath)} was not found at '{tokenizerJsonPath}'.") { FileName = Path.GetFileName(tokenizerJsonPath) };
        }

        using var stream = File.OpenRead(tokenizerJsonPath);
        return FromStream(stream, Path.GetFileName(tokenizerJsonPath));
    }

    /// <summary>Loads a <c>tokenizer.json</c> document from a stream.</summary>
    public static QwenTokenizer FromStream(Stream tokenizerJson, string fileName = ModelFolder.TokenizerFileName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(tokenizerJson);
        }
        catch (JsonException ex)
        {
            throw new ModelFolderException($"{fileName} is not valid JSON: {ex.Message}", ex) { FileName = fileName };
        }

        using (document)
        {
            return Build(document.RootElement, fileName);
        }
    }

    private static QwenTokenizer Build(JsonElement root, string fileName)
    {
        ModelFolderException Bad(string what) => new($"{fileName}: {what}") { FileName = fileName };

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw Bad("the 'model' object is missing.");
        }

        if (!model.TryGetProperty("type", out var type) || type.GetString() != "BPE")
        {
            throw Bad("only BPE tokenizers are supported (Qwen's tokenizer is byte-level BPE).");
        }

        if (!model.TryGetProperty("vocab", out var vocabElement) || vocabElement.ValueKind != JsonValueKind.Object)
        {
            throw Bad("'model.vocab' is missing.");
        }

        var vocab = new Dictionary<string, int>(160_000, StringComparer.Ordinal);
        var maxId = -1;
        foreach (var entry in vocabElement.EnumerateObject())
        {
            var id = entry.Value.GetInt32();
            vocab[entry.Name] = id;
            maxId = Math.Max(maxId, id);
        }

        var merges = new List<string>(160_000);
        if (model.TryGetProperty("merges", out var mergesElement) && mergesElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var merge in mergesElement.EnumerateArray())
            {
                // Older files store "a b"; newer ones store ["a", "b"] (which allows spaces inside a part).
                merges.Add(merge.ValueKind == JsonValueKind.Array
                    ? $"{merge[0].GetString()} {merge[1].GetString()}"
                    : merge.GetString() ?? throw Bad("a merge entry is null."));
            }
        }

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var specialIds = new HashSet<int>();
        if (root.TryGetProperty("added_tokens", out var addedElement) && addedElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedElement.EnumerateArray())
            {
                var content = token.GetProperty("content").GetString() ?? throw Bad("an added token has no content.");
                var id = token.GetProperty("id").GetInt32();
                added[content] = id;
                maxId = Math.Max(maxId, id);
                if (token.TryGetProperty("special", out var special) && special.ValueKind == JsonValueKind.True)
                {
                    specialIds.Add(id);
                }
            }
        }

        var pattern = FindSplitPattern(root) ?? QwenPreTokenizerPattern;
        var useNfc = root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object
            && normalizer.TryGetProperty("type", out var nt) && nt.GetString() == "NFC";

        var bpe = BpeTokenizer.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = added,
            PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), added),
            Normalizer = useNfc ? NfcNormalizer.Instance : null,
        });

        var tokenBytes = new byte[maxId + 1][];
        var isSpecial = new bool[maxId + 1];
        foreach (var (token, id) in vocab)
        {
            tokenBytes[id] = ByteLevelAlphabet.ToBytes(token) ?? Encoding.UTF8.GetBytes(token);
        }

        foreach (var (token, id) in added)
        {
            tokenBytes[id] = Encoding.UTF8.GetBytes(token);
            isSpecial[id] = specialIds.Contains(id);
        }

        for (var i = 0; i < tokenBytes.Length; i++)
        {
            tokenBytes[i] ??= [];
        }

        return new QwenTokenizer(bpe, added, tokenBytes, isSpecial);
    }

    private static string? FindSplitPattern(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        IEnumerable<JsonElement> steps = pre.TryGetProperty("pretokenizers", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : [pre];
        foreach (var step in steps)
        {
            if (step.TryGetProperty("type", out var t) && t.GetString() == "Split"
                && step.TryGetProperty("pattern", out var p) && p.TryGetProperty("Regex", out var regex))
            {
                return regex.GetString();
            }
        }

        return null;
    }

    /// <summary>Encodes text to ids. Added tokens written in the text (e.g. <c>&lt;|im_start|&gt;</c>) become their single ids.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. _bpe.EncodeToIds(text)];
    }

    /// <summary>Decodes ids to text; invalid UTF-8 becomes U+FFFD, as in Hugging Face tokenizers.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var buffer = new List<byte>();
        foreach (var id in ids)
        {
            if (skipSpecialTokens && IsSpecial(id))
            {
                continue;
            }

            buffer.AddRange(TokenBytes(id));
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The id of an added token or a vocabulary entry, or null.</summary>
    public int? TokenToId(string token)
    {
        if (_addedTokens.TryGetValue(token, out var id))
        {
            return id;
        }

        return _bpe.Vocabulary.TryGetValue(token, out id) ? id : null;
    }

    /// <summary>True for added tokens marked special in tokenizer.json; these are dropped when decoding with skip.</summary>
    public bool IsSpecial(int id) => (uint)id < (uint)_isSpecial.Length && _isSpecial[id];

    /// <summary>A decoder for one generation stream.</summary>
    public StreamingDetokenizer CreateStreamingDetokenizer(bool skipSpecialTokens = true) => new(this, skipSpecialTokens);

    /// <summary>
    /// A token's bytes. The model's embedding table is padded past the tokenizer (Qwen2.5-VL: 151,936 rows for
    /// 151,665 tokens), so sampling can pick an id with no token; HF's decode skips such ids, and so does this (no bytes).
    /// </summary>
    internal ReadOnlySpan<byte> TokenBytes(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        return id < _tokenBytes.Length ? _tokenBytes[id] : [];
    }
}
