using Microsoft.Extensions.AI;
using QwenVl.Engine.Budget;
using QwenVl.Engine.Chat;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Runtime.OnnxRuntime;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Generation;

/// <summary>
/// Vision in slices, prefill in chunks and the last logits row only must compute what the one-call, one-step path
/// computes; requests over the budget are refused in words before any work.
/// </summary>
public sealed class RealSizeInputTests
{
    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 4, Sampling = SamplingOptions.Greedy };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Vision_in_slices_gives_the_features_of_one_call_over_everything()
    {
        using var model = Load();
        var prompt = MixedPrompt(model.Processor);
        Assert.True(prompt.Videos[0].Grid.T > 1, "the video must have several temporal patches");

        var (wholeImages, wholeVideos) = model.VisionFeatures(prompt, int.MaxValue);
        foreach (var patchesPerCall in new[] { 1, 60, 200 })
        {
            var (images, videos) = model.VisionFeatures(prompt, patchesPerCall);
            Assert.Equal(wholeImages.Length, images.Length);
            Assert.Equal(wholeVideos.Length, videos.Length);
            Assert.True(MaxDifference(wholeImages, images) <= 1e-5, $"images at {patchesPerCall}: {MaxDifference(wholeImages, images)}");
            Assert.True(MaxDifference(wholeVideos, videos) <= 1e-5, $"video at {patchesPerCall}: {MaxDifference(wholeVideos, videos)}");
        }
    }

    [Fact]
    public async Task Sliced_vision_and_chunked_prefill_give_the_greedy_tokens_of_the_one_call_one_step_path()
    {
        using var whole = Load(new InferenceLimits { VisionPatchesPerCall = int.MaxValue, PrefillChunkTokens = int.MaxValue });
        using var sliced = Load(new InferenceLimits { VisionPatchesPerCall = 1, PrefillChunkTokens = 7 });
        var prompt = MixedPrompt(whole.Processor);

        var expected = await whole.GenerateAsync(prompt, Greedy, Token).CollectAsync();
        var actual = await sliced.GenerateAsync(prompt, Greedy, Token).CollectAsync();

        Assert.Equal(expected.Final.TokenIds, actual.Final.TokenIds);
        var logits = (whole.PrefillLogits(prompt), sliced.PrefillLogits(prompt));
        Assert.True(MaxDifference(logits.Item1, logits.Item2) <= 1e-4, $"prefill logits differ by {MaxDifference(logits.Item1, logits.Item2)}");
    }

    [Fact]
    public async Task A_prompt_of_more_than_4k_tokens_runs_chunked_with_the_tokens_of_one_step_and_of_a_graph_without_logits_to_keep()
    {
        // The prompt that used to fail: 4k+ positions of [L, 151,936] logits are more than a span can hold.
        using var whole = Load(new InferenceLimits { PrefillChunkTokens = int.MaxValue });
        using var chunked = Load();
        var folder = TestAssets.NewTempFolder();
        QwenVl.ModelBuilder.GeneratedModelWriter.Write(folder, QwenVl.ModelBuilder.ModelPreset.Tiny, seed: 7, logitsToKeep: false);
        using var allLogits = QwenVlModel.Load(ModelFolder.Load(folder), new OnnxRuntimeBackend(), OnnxRuntimeBackend.GraphExtension);
        var text = string.Join(' ', Enumerable.Range(0, 1500).Select(i => $"w{i}"));
        var prompt = whole.Processor.Prepare([PromptTurn.User(PromptItem.FromText(text))], []);
        Assert.True(prompt.InputIds.Length > 4096, $"{prompt.InputIds.Length} tokens");

        var expected = await whole.GenerateAsync(prompt, Greedy, Token).CollectAsync();

        Assert.Equal(expected.Final.TokenIds, (await chunked.GenerateAsync(prompt, Greedy, Token).CollectAsync()).Final.TokenIds);
        Assert.True(chunked.ComputesLastLogitsOnly);
        Assert.False(allLogits.ComputesLastLogitsOnly);
        Assert.Equal(expected.Final.TokenIds, (await allLogits.GenerateAsync(prompt, Greedy, Token).CollectAsync()).Final.TokenIds);
        Assert.Equal(prompt.InputIds.Length, expected.Final.Metrics!.PromptTokens);
    }

    [Fact]
    public void Counting_tokens_from_sizes_and_plans_equals_what_preparing_produces()
    {
        using var model = Load();
        var prompt = MixedPrompt(model.Processor);
        var turns = MixedTurns();

        var shape = model.Processor.Shape(turns, [.. prompt.Images.Select(i => i.Original)], [.. prompt.Videos.Select(v => (v.Clip.Plan, v.Clip.Resized))], Budget(), 9);

        Assert.Equal(prompt.InputIds.Length, shape.PromptTokens);
        Assert.Equal(prompt.ImageGrids, shape.ImageGrids);
        Assert.Equal(prompt.Videos.Select(v => v.Grid), shape.VideoGrids);
        Assert.Equal(QwenVlModel.ShapeOf(prompt, 9).ContextTokens, shape.ContextTokens);
    }

    [Fact]
    public async Task A_request_over_the_token_budget_is_refused_before_any_graph_runs()
    {
        using var model = Load(new InferenceLimits { MaxPromptTokens = 64 });
        var prompt = MixedPrompt(model.Processor);

        var refusal = await Assert.ThrowsAsync<RequestBudgetException>(() => model.GenerateAsync(prompt, Greedy, Token).CollectAsync());

        Assert.StartsWith($"This request needs {prompt.InputIds.Length:N0} prompt tokens and up to 4 for the answer", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("over this server's limit of 64 tokens", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("fewer images or a smaller image budget", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("fewer video frames", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, model.RuntimeTime);
    }

    [Fact]
    public async Task A_request_over_the_memory_budget_is_refused_with_the_budget_named()
    {
        using var model = Load(new InferenceLimits { MemoryBudgetMB = 1 });
        var prompt = model.Processor.Prepare([PromptTurn.User(PromptItem.Image, PromptItem.FromText("Describe."))], [Image("gradient_600x400.png")], Budget());

        var refusal = await Assert.ThrowsAsync<RequestBudgetException>(() => model.GenerateAsync(prompt, Greedy, Token).CollectAsync());

        // So small a budget holds only a few tokens of context: the refusal names the memory budget as the limit.
        Assert.Contains("that fit the memory budget of 1 MiB", refusal.Message, StringComparison.Ordinal);

        // With room for the text, the 600×400 image's one frame (1,176 patches; its masks and scores ~32 MiB) is what does not fit.
        using var roomier = Load(new InferenceLimits { MemoryBudgetMB = 30 });
        var vision = await Assert.ThrowsAsync<RequestBudgetException>(() => roomier.GenerateAsync(prompt, Greedy, Token).CollectAsync());
        Assert.Equal(1176, prompt.ImageGrids[0].PatchCount);
        Assert.Contains("over the memory budget of 30 MiB. An image or video frame of 1,176 patches is encoded in one piece", vision.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, roomier.RuntimeTime);
    }

    [Fact]
    public async Task The_chat_client_refuses_from_the_image_header_before_decoding_it()
    {
        // truncated.png has a whole header and a cut-off body: decoding it fails, so a budget refusal (not a decode
        // error) proves the check came first.
        using var model = Load(new InferenceLimits { MaxPromptTokens = 32 });
        var client = new QwenVlChatClient(model);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(TestAssets.Images, "truncated.png"), Token);
        Assert.Throws<ImageInputException>(() => new ImageDecoder().Decode(bytes));
        var message = new ChatMessage(ChatRole.User, [new DataContent(bytes, "image/png"), new TextContent("Describe.")]);

        var refusal = await Assert.ThrowsAsync<RequestBudgetException>(() => client.GetResponseAsync([message], new ChatOptions { MaxOutputTokens = 8 }, Token));

        Assert.Contains("over this server's limit of 32 tokens", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, model.RuntimeTime);
    }

    [Fact]
    public void The_cli_refuses_a_prompt_over_max_prompt_tokens_with_exit_code_2()
    {
        var (code, stdout, stderr) = CommandLine.Run("generate", "--model", TestAssets.TinyModelFolder, "--prompt", "Describe this image in a few words.",
            "--image", Path.Combine(TestAssets.Images, "gradient_600x400.png"), "--max-prompt-tokens", "100");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Matches(@"^qwenvl: This request needs [0-9,]+ prompt tokens and up to 512 for the answer \([0-9,]+ in all\), over this server's limit of 100 tokens\. Try fewer images or a smaller image budget", stderr);
    }

    private static QwenVlModel Load(InferenceLimits? limits = null) =>
        QwenVlModel.Load(ModelFolder.Load(TestAssets.TinyModelFolder), new OnnxRuntimeBackend(), OnnxRuntimeBackend.GraphExtension, limits: limits);

    private static PixelBudget Budget() => new(3136, 12845056);

    private static RgbImage Image(string name) => new ImageDecoder().DecodeFile(Path.Combine(TestAssets.Images, name));

    private static List<PromptTurn> MixedTurns() =>
    [
        PromptTurn.User(PromptItem.Image, PromptItem.Image, PromptItem.FromText("Compare these.")),
        PromptTurn.Assistant("They differ."),
        PromptTurn.User(PromptItem.Image, PromptItem.Video, PromptItem.FromText("And this clip?")),
    ];

    /// <summary>Three images of different grids and a synthetic 8-frame clip (4 temporal patches of 6×8): no ffmpeg needed.</summary>
    private static PreparedPrompt MixedPrompt(QwenVlProcessor processor)
    {
        var frames = Enumerable.Range(0, 8).Select(f =>
        {
            var pixels = new byte[112 * 84 * 3];
            for (var i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)((i * 7) + (f * 31));
            }

            return new RgbImage(112, 84, pixels);
        }).ToArray();
        var clip = new VideoClip("synthetic", new VideoInfo(112, 84, 8, 2, TimeSpan.FromSeconds(4), 0),
            new VideoFramePlan(0, 7, [.. Enumerable.Range(0, 8)], 2), new ImageSize(112, 84), frames);
        return processor.Prepare(MixedTurns(), [Image("gradient_123x77.png"), Image("gray_64x100.png"), Image("alpha_90x61.png")], [clip], Budget());
    }


    private static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).DefaultIfEmpty(0).Max();
}
