using System.Text.Json;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Tokenization;

namespace QwenVl.Engine.Tests.Tokenization;

public class QwenTokenizerTests
{
    private static readonly Lazy<QwenTokenizer> Shared = new(() => QwenTokenizer.FromFile(TestAssets.TokenizerJson));
    private static readonly Lazy<JsonDocument> Vectors = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestAssets.Golden, "tokenizer_vectors.json"))));

    internal static QwenTokenizer Tokenizer => Shared.Value;

    public static TheoryData<string> VectorNames()
    {
        var data = new TheoryData<string>();
        foreach (var v in Vectors.Value.RootElement.GetProperty("vectors").EnumerateArray())
        {
            data.Add(v.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Encodes_the_published_transformers_js_vectors(string name)
    {
        var vector = Vectors.Value.RootElement.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        var text = vector.GetProperty("text").GetString()!;

        var ids = Tokenizer.Encode(text);

        Assert.Equal(vector.GetProperty("ids").Ints(), ids);
        Assert.Equal(text, Tokenizer.Decode(ids));
    }

    [Fact]
    public void Encodes_the_HF_Qwen25VL_chat_prefix_with_special_tokens_as_single_ids()
    {
        var prefix = Vectors.Value.RootElement.GetProperty("hf_chat_prefix");

        var ids = Tokenizer.Encode(prefix.GetProperty("text").GetString()!);

        Assert.Equal(prefix.GetProperty("ids").Ints(), ids);
    }

    [Theory]
    [InlineData("<|endoftext|>", 151643)]
    [InlineData("<|im_start|>", 151644)]
    [InlineData("<|im_end|>", 151645)]
    [InlineData("<|object_ref_start|>", 151646)]
    [InlineData("<|box_start|>", 151648)]
    [InlineData("<|vision_start|>", 151652)]
    [InlineData("<|vision_end|>", 151653)]
    [InlineData("<|vision_pad|>", 151654)]
    [InlineData("<|image_pad|>", 151655)]
    [InlineData("<|video_pad|>", 151656)]
    public void Special_added_tokens_have_Qwen25VL_ids(string token, int id)
    {
        Assert.Equal(id, Tokenizer.TokenToId(token));
        Assert.Equal([id], Tokenizer.Encode(token));
        Assert.True(Tokenizer.IsSpecial(id));
    }

    [Theory]
    [InlineData("<tool_call>", 151657)]
    [InlineData("<|fim_prefix|>", 151659)]
    [InlineData("<|file_sep|>", 151664)]
    public void Non_special_added_tokens_are_single_ids_that_decoding_keeps(string token, int id)
    {
        // tokenizer.json marks these "special": false, so HF's skip_special_tokens keeps them in the text.
        Assert.Equal([id], Tokenizer.Encode(token));
        Assert.False(Tokenizer.IsSpecial(id));
        Assert.Equal(token, Tokenizer.Decode([id], skipSpecialTokens: true));
    }

    [Fact]
    public void Special_tokens_are_dropped_only_when_asked()
    {
        var ids = Tokenizer.Encode("<|im_start|>assistant\nA cat.<|im_end|>");

        Assert.Equal("<|im_start|>assistant\nA cat.<|im_end|>", Tokenizer.Decode(ids));
        Assert.Equal("assistant\nA cat.", Tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void Text_is_NFC_normalised_before_encoding()
    {
        // "é" written as e + combining acute (NFD) must encode like the precomposed character.
        Assert.Equal(Tokenizer.Encode("caf\u00e9"), Tokenizer.Encode("cafe\u0301"));
    }

    [Fact]
    public void A_tokenizer_file_that_is_not_BPE_is_rejected_with_its_name()
    {
        using var stream = new MemoryStream("""{"model": {"type": "WordPiece", "vocab": {}}}"""u8.ToArray());

        var error = Assert.Throws<Engine.Model.ModelFolderException>(() => QwenTokenizer.FromStream(stream));

        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("BPE", error.Message, StringComparison.Ordinal);
    }
}
