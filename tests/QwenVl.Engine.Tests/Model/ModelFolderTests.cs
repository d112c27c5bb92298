using QwenVl.Engine.Model;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Model;

public class ModelFolderTests
{
    [Fact]
    public void Reads_the_real_Qwen25VL_3B_configuration()
    {
        var folder = ModelFolder.Load(TestAssets.ModelFolder);

        var text = folder.Config.Text;
        Assert.Equal("qwen2_5_vl", folder.Config.ModelType);
        Assert.Equal((2048, 36, 16, 2, 11008, 151936), (text.HiddenSize, text.NumHiddenLayers, text.NumAttentionHeads, text.NumKeyValueHeads, text.IntermediateSize, text.VocabSize));
        Assert.Equal(128, text.HeadDim);
        Assert.Equal(new[] { 16, 24, 24 }, text.MropeSection);
        Assert.Equal(1_000_000.0, text.RopeTheta);
        Assert.True(text.TieWordEmbeddings);

        var vision = folder.Config.Vision;
        Assert.Equal((32, 1280, 16, 80, 2048), (vision.Depth, vision.HiddenSize, vision.NumHeads, vision.HeadDim, vision.OutHiddenSize));
        Assert.Equal((14, 2, 2, 112), (vision.PatchSize, vision.TemporalPatchSize, vision.SpatialMergeSize, vision.WindowSize));
        Assert.Equal(new[] { 7, 15, 23, 31 }, vision.FullAttentionBlockIndexes);
        Assert.Equal(2.0, vision.TokensPerSecond);

        Assert.Equal((151655, 151656, 151652, 151653), (folder.Config.Tokens.ImageTokenId, folder.Config.Tokens.VideoTokenId, folder.Config.Tokens.VisionStartTokenId, folder.Config.Tokens.VisionEndTokenId));

        Assert.Equal((3136L, 12845056L, 28), (folder.Preprocessor.MinPixels, folder.Preprocessor.MaxPixels, folder.Preprocessor.ResizeFactor));
        Assert.Equal(new[] { 0.48145466f, 0.4578275f, 0.40821073f }, folder.Preprocessor.ImageMean);

        Assert.Equal(new[] { 151645, 151643 }, folder.Generation.EosTokenIds);
        Assert.Equal((true, 0.1, 0.001, 1, 1.05), (folder.Generation.DoSample, folder.Generation.Temperature, folder.Generation.TopP, folder.Generation.TopK, folder.Generation.RepetitionPenalty));

        Assert.StartsWith("{% set image_count = namespace(value=0) %}", folder.ChatTemplate, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_the_nested_text_config_and_size_fields_of_newer_exports()
    {
        var dir = TestAssets.CopyOfModelFolder();
        File.WriteAllText(Path.Combine(dir, "config.json"), """
            {"model_type": "qwen2_5_vl", "image_token_id": 151655, "video_token_id": 151656, "vision_start_token_id": 151652, "vision_end_token_id": 151653,
             "text_config": {"hidden_size": 3584, "num_hidden_layers": 28, "num_attention_heads": 28, "num_key_value_heads": 4, "intermediate_size": 18944,
               "vocab_size": 152064, "rope_theta": 1000000.0, "rms_norm_eps": 1e-06, "max_position_embeddings": 128000, "tie_word_embeddings": false,
               "rope_scaling": {"mrope_section": [16, 24, 24], "rope_type": "default", "type": "default"}},
             "vision_config": {"depth": 32, "hidden_size": 1280, "num_heads": 16, "intermediate_size": 3420, "out_hidden_size": 3584, "patch_size": 14,
               "spatial_merge_size": 2, "temporal_patch_size": 2, "window_size": 112, "fullatt_block_indexes": [7, 15, 23, 31], "tokens_per_second": 2, "in_channels": 3}}
            """);
        File.WriteAllText(Path.Combine(dir, "preprocessor_config.json"), """
            {"size": {"shortest_edge": 3136, "longest_edge": 12845056}, "patch_size": 14, "temporal_patch_size": 2, "merge_size": 2,
             "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711]}
            """);
        File.Delete(Path.Combine(dir, "chat_template.json"));
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"chat_template": [{"name": "tool_use", "template": "x"}, {"name": "default", "template": "<|im_start|>{{ x }}"}]}""");

        var folder = ModelFolder.Load(dir);

        Assert.Equal(3584, folder.Config.Text.HiddenSize);
        Assert.False(folder.Config.Text.TieWordEmbeddings);
        Assert.Equal(3584, folder.Config.Vision.OutHiddenSize);
        Assert.Equal(12845056, folder.Preprocessor.MaxPixels);
        Assert.Equal("<|im_start|>{{ x }}", folder.ChatTemplate);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("preprocessor_config.json")]
    [InlineData("tokenizer.json")]
    [InlineData("chat_template.json")]
    public void A_missing_file_is_named_in_the_error(string file)
    {
        var dir = TestAssets.CopyOfModelFolder();
        File.Delete(Path.Combine(dir, file));

        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Load(dir));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Equal(file, error.FileName);
    }

    [Fact]
    public void A_missing_generation_config_takes_the_HF_defaults()
    {
        var dir = TestAssets.CopyOfModelFolder();
        File.Delete(Path.Combine(dir, "generation_config.json"));

        var folder = ModelFolder.Load(dir);

        Assert.Equal((false, 1.0, 1.0, 50, 1.0), (folder.Generation.DoSample, folder.Generation.Temperature, folder.Generation.TopP, folder.Generation.TopK, folder.Generation.RepetitionPenalty));
    }

    [Theory]
    [InlineData("config.json", "{ not json", "config.json is not valid JSON")]
    [InlineData("config.json", "[1, 2]", "config.json must contain a JSON object")]
    [InlineData("config.json", """{"model_type": "llama"}""", "model_type is 'llama'")]
    [InlineData("config.json", """{"model_type": "qwen2_vl"}""", "Qwen2-VL folders are not supported yet")]
    [InlineData("preprocessor_config.json", """{"min_pixels": 3136, "max_pixels": 12845056, "patch_size": "14", "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}""", "'patch_size' must be an integer, found the string \"14\"")]
    [InlineData("preprocessor_config.json", """{"min_pixels": 3136, "max_pixels": 12845056, "patch_size": 14, "image_mean": [0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}""", "'image_mean' must have 3 numbers, found 2")]
    [InlineData("preprocessor_config.json", """{"min_pixels": 5000, "max_pixels": 100, "patch_size": 14, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}""", "is not a valid range")]
    [InlineData("preprocessor_config.json", """{"min_pixels": 3136, "max_pixels": 12845056, "patch_size": 16, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}""", "disagrees with the vision_config")]
    [InlineData("chat_template.json", """{"chat_template": 5}""", "'chat_template' must be a string")]
    public void A_malformed_file_gives_an_error_naming_the_file_and_the_problem(string file, string content, string expected)
    {
        var dir = TestAssets.CopyOfModelFolder();
        File.WriteAllText(Path.Combine(dir, file), content);

        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Load(dir));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_without_tokens_per_second_is_rejected_rather_than_defaulted()
    {
        // The transformers class default (4) differs from the checkpoints (2); guessing would shift video positions.
        var dir = TestAssets.CopyOfModelFolder();
        var path = Path.Combine(dir, "config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"tokens_per_second\": 2,", string.Empty, StringComparison.Ordinal));

        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Load(dir));

        Assert.Contains("tokens_per_second", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_reported()
    {
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Load(Path.Combine(TestAssets.NewTempFolder(), "nope")));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }
}
