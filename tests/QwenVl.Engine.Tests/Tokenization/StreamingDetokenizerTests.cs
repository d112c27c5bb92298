using System.Text;

namespace QwenVl.Engine.Tests.Tokenization;

public class StreamingDetokenizerTests
{
    [Theory]
    [InlineData("生活的真谛是")]
    [InlineData("😂 👍 🤣 ❤️ 🏴󠁧󠁢󠁥󠁮󠁧󠁿 👨🏻‍❤️‍💋‍👨🏼")]
    [InlineData("Grüße, naïve café — “quotes” …")]
    [InlineData("plain ASCII with\nnew lines\tand tabs")]
    public void Deltas_never_split_a_character_and_add_up_to_the_full_text(string text)
    {
        var tokenizer = QwenTokenizerTests.Tokenizer;
        var ids = tokenizer.Encode(text);
        var stream = tokenizer.CreateStreamingDetokenizer();
        var result = new StringBuilder();

        foreach (var id in ids)
        {
            var delta = stream.Append(id);
            if (delta.Length > 0)
            {
                Assert.False(char.IsHighSurrogate(delta[^1]), "a delta ended with half a surrogate pair");
                Assert.DoesNotContain('\uFFFD', delta);
            }

            result.Append(delta);
        }

        result.Append(stream.Flush());
        Assert.Equal(text, result.ToString());
    }

    [Fact]
    public void A_character_split_across_tokens_is_held_back_until_complete()
    {
        // " 🤣" is spelled "Ġð\x9f" + "¤" + "£" (ids 11162, 97, 96 in the transformers.js vectors): the
        // emoji's four UTF-8 bytes are spread over three tokens.
        var tokenizer = QwenTokenizerTests.Tokenizer;
        var ids = tokenizer.Encode(" 🤣");
        Assert.Equal(new[] { 11162, 97, 96 }, ids);
        var stream = tokenizer.CreateStreamingDetokenizer();

        var deltas = ids.Select(stream.Append).ToArray();

        Assert.Equal(new[] { " ", string.Empty, "🤣" }, deltas);
    }

    [Fact]
    public void Special_tokens_are_skipped_by_default_and_kept_on_request()
    {
        var tokenizer = QwenTokenizerTests.Tokenizer;
        var ids = tokenizer.Encode("Hi<|im_end|>");

        var skipping = tokenizer.CreateStreamingDetokenizer();
        var keeping = tokenizer.CreateStreamingDetokenizer(skipSpecialTokens: false);

        Assert.Equal("Hi", string.Concat(ids.Select(skipping.Append)) + skipping.Flush());
        Assert.Equal("Hi<|im_end|>", string.Concat(ids.Select(keeping.Append)) + keeping.Flush());
    }

    [Fact]
    public void A_stream_that_ends_mid_character_flushes_a_replacement_character()
    {
        var tokenizer = QwenTokenizerTests.Tokenizer;
        var ids = tokenizer.Encode(" 🤣");
        var stream = tokenizer.CreateStreamingDetokenizer();

        var text = stream.Append(ids[0]) + stream.Flush();

        Assert.Equal(" \uFFFD", text);
    }

    [Fact]
    public void Ids_past_the_tokenizer_in_the_padded_embedding_table_decode_to_nothing()
    {
        // Qwen2.5-VL's vocab_size (151,936) pads past the tokenizer; HF tokenizers' decode skips ids it has no token for.
        var tokenizer = QwenTokenizerTests.Tokenizer;
        var padded = tokenizer.VocabularySize + 100;
        var detokenizer = tokenizer.CreateStreamingDetokenizer();
        var hello = tokenizer.Encode("Hello");

        Assert.Equal(string.Empty, tokenizer.Decode([padded]));
        Assert.Equal("Hello", tokenizer.Decode([padded, .. hello]));
        Assert.Equal(string.Empty, detokenizer.Append(padded));
        Assert.Equal("Hello", string.Concat(hello.Select(detokenizer.Append)) + detokenizer.Flush());
    }
}
