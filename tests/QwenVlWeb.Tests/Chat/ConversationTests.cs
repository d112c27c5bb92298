using Microsoft.Extensions.AI;
using QwenVlWeb.Chat;
using QwenVlWeb.Markdown;
using QwenVlWeb.Tests.Support;

namespace QwenVlWeb.Tests.Chat;

public sealed class ConversationTests
{
    private readonly MarkdownRenderer _renderer = new();

    [Fact]
    public void The_model_gets_the_system_prompt_images_before_text_and_only_answers_with_text()
    {
        var conversation = new Conversation();
        var image = new Attachment(Images.Uploaded(640, 420));
        conversation.Add(ConversationTurn.User("What is this?", [image]));
        conversation.Add(Answer("A house."));
        conversation.Add(ConversationTurn.User("And the colour?", []));
        var failed = Answer(string.Empty);
        failed.State = AnswerState.Failed;
        conversation.Add(failed);
        conversation.Add(ConversationTurn.User("Hello?", []));

        var messages = conversation.ToChatMessages(new ChatSettings { SystemPrompt = "Be brief." });

        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.User], messages.Select(m => m.Role));
        Assert.Equal("Be brief.", messages[0].Text);
        Assert.IsType<DataContent>(messages[1].Contents[0]);
        Assert.Equal("What is this?", Assert.IsType<TextContent>(messages[1].Contents[1]).Text);
        Assert.Equal("A house.", messages[2].Text);
        // The size the model saw is kept for the grounding overlay: 640×420 → 644×420 at the notebook budget.
        Assert.Equal(new QwenVl.Engine.Vision.ImageSize(644, 420), image.SentSize);
    }

    [Fact]
    public void Truncating_after_a_turn_drops_everything_later()
    {
        var conversation = new Conversation();
        var first = ConversationTurn.User("one", []);
        conversation.Add(first);
        conversation.Add(Answer("1"));
        conversation.Add(ConversationTurn.User("two", []));

        conversation.TruncateAfter(first);

        Assert.Same(first, Assert.Single(conversation.Turns));
    }

    private ConversationTurn Answer(string text) => Answers.Done(_renderer, text);
}
