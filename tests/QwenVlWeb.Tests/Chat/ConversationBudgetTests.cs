using QwenVl.Engine.Budget;
using QwenVl.Engine.Chat;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime.OnnxRuntime;
using QwenVl.Engine.Vision;
using QwenVl.ModelBuilder;
using QwenVlWeb.Chat;
using QwenVlWeb.Markdown;
using QwenVlWeb.Tests.Support;
using QwenVlWeb.Uploads;

namespace QwenVlWeb.Tests.Chat;

/// <summary>The composer's running total, counted by the engine on a generated tiny model.</summary>
public sealed class ConversationBudgetTests : IClassFixture<ConversationBudgetTests.TinyModel>
{
    private readonly TinyModel _tiny;
    private readonly MarkdownRenderer _renderer = new();

    public ConversationBudgetTests(TinyModel tiny) => _tiny = tiny;

    [Fact]
    public void The_total_is_the_prompt_the_model_will_get_plus_the_reply()
    {
        using var model = _tiny.Load(new InferenceLimits { MaxPromptTokens = 4000 });
        var client = new QwenVlChatClient(model) { TextIsLiteral = true };
        var settings = new ChatSettings { MaxNewTokens = 100 };
        var (conversation, pending) = Conversation();

        var budget = ConversationBudget.Compute(conversation, pending, "  And this one? ", settings, client, model.Budget)!;

        // The same conversation prepared the way the chat client prepares it (default system prompt, images decoded).
        var image = new ImageDecoder().Decode(TestImages.Read(TestImages.Path123x77));
        var prepared = model.Processor.Prepare(
            [
                PromptTurn.User(PromptItem.Image, PromptItem.FromText("What is it?")),
                PromptTurn.Assistant("A gradient."),
                PromptTurn.User(PromptItem.Image, PromptItem.FromText("And this one?")),
            ],
            [image, image], settings.ImageBudget);
        Assert.Equal(prepared.InputIds.Length, budget.HistoryTokens + budget.AttachmentTokens);
        Assert.Equal(settings.Cost(pending[0]).Tokens, budget.AttachmentTokens);
        Assert.Equal(100, budget.ReplyTokens);
        Assert.Equal(4000, budget.MaxTokens);
        Assert.True(budget.Verdict.Fits);
        Assert.False(budget.Verdict.IsNear);
    }

    [Fact]
    public void Over_the_budget_it_does_not_fit_and_says_what_to_change()
    {
        using var model = _tiny.Load(new InferenceLimits { MaxPromptTokens = 200 });
        var client = new QwenVlChatClient(model) { TextIsLiteral = true };
        var (conversation, pending) = Conversation();

        var budget = ConversationBudget.Compute(conversation, pending, "Tell me more.", new ChatSettings { MaxNewTokens = 150 }, client, model.Budget)!;

        Assert.False(budget.Verdict.Fits);
        Assert.Contains("over this server's limit of 200 tokens", budget.Verdict.Refusal, StringComparison.Ordinal);
        Assert.Contains("fewer images or a smaller image budget", budget.Verdict.Refusal, StringComparison.Ordinal);
    }

    private (Conversation Conversation, List<Attachment> Pending) Conversation()
    {
        var media = new UploadedMedia("0123456789abcdef0123456789abcdef", "gradient.png", "image/png", TestImages.Read(TestImages.Path123x77), 123, 77, "data:image/png;base64,AAAA");
        var conversation = new Conversation();
        conversation.Add(ConversationTurn.User("What is it?", [new Attachment(media)]));
        var answer = ConversationTurn.Answer(_renderer);
        answer.Markdown!.Append("A gradient.");
        conversation.Add(answer);
        return (conversation, [new Attachment(media)]);
    }

    public sealed class TinyModel : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), $"qwenvl-budget-{Guid.NewGuid():N}");

        public TinyModel() => GeneratedModelWriter.Write(_folder, ModelPreset.Tiny, seed: 7);

        public QwenVlModel Load(InferenceLimits limits) =>
            QwenVlModel.Load(ModelFolder.Load(_folder), new OnnxRuntimeBackend(), OnnxRuntimeBackend.GraphExtension, limits: limits);

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
