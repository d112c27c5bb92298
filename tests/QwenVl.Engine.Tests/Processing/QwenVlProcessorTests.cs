using QwenVl.Engine.Chat;
using QwenVl.Engine.Model;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Tests.Tokenization;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Processing;

public class QwenVlProcessorTests
{
    private static QwenVlProcessor NewProcessor() => new(ModelFolder.Load(TestAssets.ModelFolder), QwenTokenizerTests.Tokenizer);

    [Fact]
    public void An_image_prompt_starts_with_the_HF_integration_test_ids_and_has_one_pad_per_merged_token()
    {
        var processor = NewProcessor();
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestAssets.Images, "gradient_123x77.png"));

        var prepared = processor.Prepare([PromptTurn.User(PromptItem.Image, PromptItem.FromText("Describe this image."))], [image]);

        Assert.Equal(new[] { 151644, 8948, 198, 2610, 525, 264, 10950, 17847, 13, 151645, 198, 151644, 872, 198, 151652, 151655, 151655 }, prepared.InputIds[..17]);
        Assert.Equal(12, prepared.InputIds.Count(id => id == 151655));
        Assert.Equal(12, prepared.ImageTokenCount);
        Assert.Equal(prepared.InputIds.Length, prepared.Positions.Length);
        Assert.NotNull(prepared.ImageVision);
        Assert.Equal(48, prepared.ImageVision.PatchCount);
        Assert.Equal(48 * 40, prepared.ImageVision.RotaryPosEmb.Length);
        Assert.Equal(48 * 1176, prepared.ConcatenatedPixelValues().Length);
    }

    [Fact]
    public void Several_images_are_stacked_in_order()
    {
        var processor = NewProcessor();
        var decoder = new ImageDecoder();
        var a = decoder.DecodeFile(Path.Combine(TestAssets.Images, "gradient_123x77.png"));
        var b = decoder.DecodeFile(Path.Combine(TestAssets.Images, "gradient_20x30.png"));

        var prepared = processor.Prepare([PromptTurn.User(PromptItem.Image, PromptItem.Image, PromptItem.FromText("Compare."))], [a, b]);

        var pixels = prepared.ConcatenatedPixelValues();
        Assert.Equal((48 + 24) * 1176, pixels.Length);
        Assert.Equal(prepared.Images[1].PixelValues, pixels[(48 * 1176)..]);
        Assert.Equal(new[] { 0, 48, 72 }, prepared.ImageVision!.FrameBoundaries);
    }

    [Fact]
    public void The_number_of_images_must_match_the_image_items()
    {
        var processor = NewProcessor();

        var error = Assert.Throws<ArgumentException>(() => processor.Prepare([PromptTurn.User(PromptItem.Image, PromptItem.FromText("?"))], []));

        Assert.Contains("1 image item(s) but 0 image(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chat_template_other_than_Qwen_VLs_is_rejected_rather_than_ignored()
    {
        var dir = TestAssets.CopyOfModelFolder();
        File.WriteAllText(Path.Combine(dir, "chat_template.json"), """{"chat_template": "{% for m in messages %}[INST] {{ m.content }} [/INST]{% endfor %}"}""");

        var error = Assert.Throws<ModelFolderException>(() => new QwenVlProcessor(ModelFolder.Load(dir), QwenTokenizerTests.Tokenizer));

        Assert.Contains("chat template", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tokenizer_that_disagrees_with_config_json_is_rejected()
    {
        var dir = TestAssets.CopyOfModelFolder();
        var path = Path.Combine(dir, "config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"image_token_id\": 151655", "\"image_token_id\": 151654", StringComparison.Ordinal));

        var error = Assert.Throws<ModelFolderException>(() => new QwenVlProcessor(ModelFolder.Load(dir), QwenTokenizerTests.Tokenizer));

        Assert.Contains("<|image_pad|>", error.Message, StringComparison.Ordinal);
    }
}
