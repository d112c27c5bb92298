using Bunit;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using QwenVlWeb.Chat;
using QwenVlWeb.Components.Chat;
using QwenVlWeb.Markdown;
using QwenVlWeb.Tests.Support;

namespace QwenVlWeb.Tests.Components;

public sealed class MessageViewTests : BunitContext
{
    private readonly MarkdownRenderer _renderer = new();

    public MessageViewTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void An_answer_renders_markdown_and_leaves_hostile_html_as_text()
    {
        var answer = Answer("**Bold** <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>");

        var cut = Render<MessageView>(p => p.Add(x => x.Turn, answer).Add(x => x.IsLast, true));

        Assert.Equal("Bold", cut.Find(".markdown strong").TextContent);
        Assert.Empty(cut.FindAll(".markdown script"));
        Assert.Empty(cut.FindAll(".markdown img"));
        Assert.Contains("<script>alert(1)</script>", cut.Find(".markdown").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Finished_answers_show_their_stats_and_actions()
    {
        var answer = Answer("Done.");
        answer.Stats = new AnswerStats(345, 12, 1234, 17.25);
        answer.FinishReason = ChatFinishReason.Length;
        ConversationTurn? regenerated = null;

        var cut = Render<MessageView>(p => p.Add(x => x.Turn, answer).Add(x => x.IsLast, true)
            .Add(x => x.OnRegenerate, t => regenerated = t));

        Assert.Equal("345 vision tokens · first token 1.2 s · 17.3 tokens/s · stopped at the length limit", cut.Find("[data-testid=answer-stats]").TextContent.Trim());
        cut.Find("[data-testid=regenerate]").Click();
        Assert.Same(answer, regenerated);
    }

    [Fact]
    public void Only_the_last_answer_offers_regenerate_and_running_answers_offer_no_actions()
    {
        var done = Answer("Old.");
        var running = Answer("New");
        running.State = AnswerState.Streaming;

        var older = Render<MessageView>(p => p.Add(x => x.Turn, done).Add(x => x.IsLast, false));
        var streaming = Render<MessageView>(p => p.Add(x => x.Turn, running).Add(x => x.IsLast, true));

        Assert.Empty(older.FindAll("[data-testid=regenerate]"));
        Assert.Single(older.FindAll("[data-testid=copy]"));
        Assert.Empty(streaming.FindAll("[data-testid=copy]"));
    }

    [Fact]
    public void A_queued_answer_shows_its_place_in_line()
    {
        var answer = Answer(string.Empty);
        answer.State = AnswerState.Queued;
        answer.QueuePosition = 3;

        var cut = Render<MessageView>(p => p.Add(x => x.Turn, answer));

        Assert.Contains("position 3", cut.Find("[data-testid=queue-status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void User_text_is_shown_as_text_and_can_be_edited_and_resent()
    {
        var turn = ConversationTurn.User("<b>not bold</b>", [new Attachment(Images.Uploaded(640, 420, "house.jpg"))]);
        (ConversationTurn Turn, string Text)? edited = null;

        var cut = Render<MessageView>(p => p.Add(x => x.Turn, turn).Add(x => x.OnEdit, e => edited = e));

        Assert.Empty(cut.FindAll(".user-text b"));
        Assert.Equal("<b>not bold</b>", cut.Find(".user-text").TextContent);
        Assert.Equal("house.jpg", cut.Find(".sent-images img").GetAttribute("alt"));

        cut.Find("[data-testid=edit]").Click();
        cut.Find(".edit-box").Input("A better question");
        cut.Find("[data-testid=edit-send]").Click();
        Assert.Equal("A better question", edited!.Value.Text);
        Assert.Same(turn, edited.Value.Turn);
    }

    private ConversationTurn Answer(string markdown) => Answers.Done(_renderer, markdown);
}
