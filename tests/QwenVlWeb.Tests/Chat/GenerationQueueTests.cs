using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QwenVl.Engine.Vision;
using QwenVlWeb.Chat;
using QwenVlWeb.Services;
using QwenVlWeb.Tests.Support;

namespace QwenVlWeb.Tests.Chat;

public sealed class GenerationQueueTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ScriptedChatClient _model = new();
    private readonly GenerationQueue _queue;

    public GenerationQueueTests() =>
        _queue = new GenerationQueue(_model, Options.Create(new WebSettings { MaxQueueLength = 3 }), NullLogger<GenerationQueue>.Instance);

    public void Dispose()
    {
        _queue.Dispose();
        _model.Dispose();
    }

    [Fact]
    public async Task Requests_run_in_order_and_waiting_ones_hear_their_positions()
    {
        using var first = Enqueue("one two");
        await Until(first, e => e is GenerationEvent.Started);
        using var second = Enqueue("three");
        using var third = Enqueue("four");

        Assert.Equal(1, (await Until(second, e => e is GenerationEvent.Queued)).As<GenerationEvent.Queued>().Position);
        Assert.Equal(2, (await Until(third, e => e is GenerationEvent.Queued)).As<GenerationEvent.Queued>().Position);

        _model.Gate.Release(2);
        var done = await Until(first, e => e is GenerationEvent.Completed);
        Assert.Equal(ChatFinishReason.Stop, done.As<GenerationEvent.Completed>().FinishReason);

        // The second moves up and starts; the third is told it is next.
        await Until(second, e => e is GenerationEvent.Started);
        Assert.Equal(1, (await Until(third, e => e is GenerationEvent.Queued)).As<GenerationEvent.Queued>().Position);
        _model.Gate.Release(2);
        await Until(third, e => e is GenerationEvent.Completed);
        Assert.Equal(["one two", "three", "four"], _model.Started);
    }

    [Fact]
    public async Task Cancelling_a_waiting_request_withdraws_it_and_moves_the_others_up()
    {
        using var running = Enqueue("a");
        await Until(running, e => e is GenerationEvent.Started);
        using var leaving = Enqueue("b");
        using var staying = Enqueue("c");
        await Until(staying, e => e is GenerationEvent.Queued { Position: 2 });

        leaving.Cancel();

        await Until(leaving, e => e is GenerationEvent.Cancelled);
        await Until(staying, e => e is GenerationEvent.Queued { Position: 1 });
        _model.Gate.Release(2);
        await Until(staying, e => e is GenerationEvent.Completed);
        Assert.DoesNotContain("b", _model.Started);
    }

    [Fact]
    public async Task Cancelling_the_running_request_stops_its_decode_loop_and_frees_the_queue()
    {
        using var running = Enqueue("a b c d");
        using var next = Enqueue("e");
        _model.Gate.Release();
        await Until(running, e => e is GenerationEvent.Text);

        running.Cancel();

        await Until(running, e => e is GenerationEvent.Cancelled);
        Assert.Equal(1, _model.Cancelled);
        await Until(next, e => e is GenerationEvent.Started);
    }

    [Fact]
    public async Task A_closed_tab_cancels_through_the_token_it_passed()
    {
        using var tab = new CancellationTokenSource();
        using var running = _queue.Enqueue([new ChatMessage(ChatRole.User, "x y")], new ChatOptions(), tab.Token);
        await Until(running, e => e is GenerationEvent.Started);

        await tab.CancelAsync();

        await Until(running, e => e is GenerationEvent.Cancelled);
    }

    [Fact]
    public async Task Failures_reach_the_user_as_words_and_the_next_request_still_runs()
    {
        _model.Failure = new ImageInputException("photo.png could not be decoded: the file is truncated.");
        using var failing = Enqueue("a");
        var failed = await Until(failing, e => e is GenerationEvent.Failed);
        Assert.Equal("photo.png could not be decoded: the file is truncated.", failed.As<GenerationEvent.Failed>().Message);

        // A video that fails mid-decode and a request over the budget are user errors too, said in the engine's words.
        foreach (var userError in new Exception[]
        {
            new QwenVl.Engine.Video.VideoInputException("clip.mp4 could not be decoded: ffmpeg stopped at frame 12."),
            new QwenVl.Engine.Budget.RequestBudgetException("This request needs 20,000 prompt tokens and up to 512 for the answer."),
        })
        {
            _model.Failure = userError;
            using var refused = Enqueue("v");
            Assert.Equal(userError.Message, (await Until(refused, e => e is GenerationEvent.Failed)).As<GenerationEvent.Failed>().Message);
        }

        _model.Failure = new InvalidOperationException("internal detail at Foo.Bar()");
        using var crashing = Enqueue("b");
        var crashed = await Until(crashing, e => e is GenerationEvent.Failed);
        Assert.DoesNotContain("Foo.Bar", crashed.As<GenerationEvent.Failed>().Message, StringComparison.Ordinal);

        _model.Failure = null;
        using var fine = Enqueue("c");
        _model.Gate.Release();
        await Until(fine, e => e is GenerationEvent.Completed);
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once()
    {
        using var running = Enqueue("a");
        await Until(running, e => e is GenerationEvent.Started);
        var waiting = Enumerable.Range(0, 3).Select(i => Enqueue($"w{i}")).ToList();

        using var refused = Enqueue("too many");

        Assert.Contains("queue is full", (await Until(refused, e => e is GenerationEvent.Failed)).As<GenerationEvent.Failed>().Message, StringComparison.Ordinal);
        waiting.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task Shutting_down_stops_the_running_request_and_refuses_the_waiting_ones()
    {
        using var running = Enqueue("a b");
        await Until(running, e => e is GenerationEvent.Started);
        using var waiting = Enqueue("c");

        _queue.Dispose();

        await Until(running, e => e is GenerationEvent.Cancelled);
        Assert.Contains("shutting down", (await Until(waiting, e => e is GenerationEvent.Failed)).As<GenerationEvent.Failed>().Message, StringComparison.Ordinal);
        Assert.Equal(1, _model.Cancelled);
    }

    private GenerationTicket Enqueue(string text) => _queue.Enqueue([new ChatMessage(ChatRole.User, text)], new ChatOptions());

    /// <summary>Reads the ticket's events until one matches (and returns it), failing after a timeout.</summary>
    private static async Task<GenerationEvent> Until(GenerationTicket ticket, Func<GenerationEvent, bool> match)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            while (await ticket.Events.WaitToReadAsync(timeout.Token))
            {
                while (ticket.Events.TryRead(out var e))
                {
                    if (match(e))
                    {
                        return e;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ChannelClosedException)
        {
        }

        Assert.Fail("The expected event did not arrive.");
        return null!;
    }
}
