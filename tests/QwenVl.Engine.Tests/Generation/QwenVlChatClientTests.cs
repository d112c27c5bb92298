using Microsoft.Extensions.AI;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime.OnnxRuntime;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Generation;

public sealed class QwenVlChatClientTests : IDisposable
{
    private readonly QwenVlModel _model = QwenVlModel.Load(ModelFolder.Load(TestAssets.TinyModelFolder), new OnnxRuntimeBackend(), OnnxRuntimeBackend.GraphExtension);

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task An_image_message_streams_text_and_ends_with_usage_and_a_finish_reason()
    {
        using var client = new QwenVlChatClient(_model);
        var image = await File.ReadAllBytesAsync(Path.Combine(TestAssets.Images, "gradient_123x77.png"), TestContext.Current.CancellationToken);
        ChatMessage[] messages = [new(ChatRole.User, [new DataContent(image, "image/png"), new TextContent("Describe this image.")])];

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, new ChatOptions { MaxOutputTokens = 4, Temperature = 0 }, TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        var usage = updates[^1].Contents.OfType<UsageContent>().Single().Details;
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
        Assert.Equal(4, usage.OutputTokenCount);
        // The notebook's budget (min 256 tokens) scales 123×77 up: ceil(77·4.603/28)·ceil(123·4.603/28) = 13·21 = 273.
        Assert.Equal(273, usage.AdditionalCounts!["vision_tokens"]);
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));

        // The same request through the engine directly gives the same text.
        var prompt = _model.Processor.Prepare([Engine.Chat.PromptTurn.User(Engine.Chat.PromptItem.Image, Engine.Chat.PromptItem.FromText("Describe this image."))],
            [new Engine.Vision.ImageDecoder().Decode(image)], Engine.Vision.PixelBudget.Notebook);
        var direct = new System.Text.StringBuilder();
        await foreach (var update in _model.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 4, Sampling = SamplingOptions.FromGenerationConfig(_model.Folder.Generation) with { DoSample = false } }, TestContext.Current.CancellationToken))
        {
            direct.Append(update.Text);
        }

        Assert.Equal(direct.ToString(), string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task Options_map_to_sampling_with_a_reproducible_seed()
    {
        using var client = new QwenVlChatClient(_model);
        ChatMessage[] messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hello"), new(ChatRole.Assistant, "Hi!"), new(ChatRole.User, "Again")];
        var options = new ChatOptions { MaxOutputTokens = 6, Temperature = 1.2f, TopP = 0.95f, Seed = 11, AdditionalProperties = new() { [QwenVlChatClient.RepetitionPenaltyKey] = 1.1 } };

        var a = await client.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);
        var b = await client.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);
        var c = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 6, Temperature = 1.2f, TopP = 0.95f, Seed = 12 }, TestContext.Current.CancellationToken);

        Assert.Equal(a.Text, b.Text);
        Assert.NotEqual(a.Text, c.Text);
        Assert.Equal(6, a.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Unsupported_content_and_bad_images_are_clear_errors()
    {
        using var client = new QwenVlChatClient(_model);

        await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, [new UriContent("https://example.invalid/a.png", "image/png")])], cancellationToken: TestContext.Current.CancellationToken));
        var error = await Assert.ThrowsAsync<Engine.Vision.ImageInputException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, [new DataContent("not an image"u8.ToArray(), "image/png") { Name = "upload.png" }])], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("upload.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_literal_client_keeps_control_tokens_in_user_text_as_characters()
    {
        using var parsing = new QwenVlChatClient(_model);
        using var literal = new QwenVlChatClient(_model) { TextIsLiteral = true };
        ChatMessage[] messages = [new(ChatRole.User, "a<|im_end|>b")];
        var options = new ChatOptions { MaxOutputTokens = 1, Temperature = 0 };

        var parsed = await parsing.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);
        var kept = await literal.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);

        var tokenizer = _model.Processor.Tokenizer;
        var spelled = tokenizer.Encode(Engine.Chat.SpecialTokenText.Neutralize("<|im_end|>", tokenizer.AddedTokens.Keys));
        Assert.DoesNotContain(spelled, tokenizer.IsSpecial);
        Assert.Equal(parsed.Usage!.InputTokenCount + spelled.Length - 1, kept.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task A_video_message_is_sampled_at_the_requested_rate()
    {
        using var client = new QwenVlChatClient(_model);
        var video = await File.ReadAllBytesAsync(TestVideos.TestPattern, TestContext.Current.CancellationToken);
        ChatMessage[] messages = [new(ChatRole.User, [new DataContent(video, "video/mp4") { Name = "clip.mp4" }, new TextContent("What happens?")])];

        var atDefault = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 1 }, TestContext.Current.CancellationToken);
        var atOne = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 1, AdditionalProperties = new() { [QwenVlChatClient.VideoFpsKey] = 1.0 } },
            TestContext.Current.CancellationToken);

        // 3 s at 2 fps: 6 frames of 392×280 = 3·10·14 = 420 tokens; at 1 fps: max(3, 4) = 4 frames = 2·10·14 = 280 tokens.
        Assert.Equal(420, atDefault.Usage!.AdditionalCounts!["vision_tokens"]);
        Assert.Equal(280, atOne.Usage!.AdditionalCounts!["vision_tokens"]);
        var corrupt = await Assert.ThrowsAsync<Engine.Video.VideoInputException>(() => client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, [new DataContent(new byte[100], "video/mp4") { Name = "broken.mp4" }])], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("broken.mp4", corrupt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void It_describes_itself()
    {
        using var client = new QwenVlChatClient(_model);

        Assert.Equal("qwenvl", client.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.Same(_model, client.GetService<QwenVlModel>());
    }
}
