using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using QwenVl.Engine.Budget;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime;
using QwenVl.Engine.Runtime.OpenVino;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;
using QwenVlWeb.Services;

namespace QwenVlWeb.Chat;

/// <summary>
/// The one way to the model: a fair FIFO queue with a single worker (one model, one answer at a time). Waiting requests
/// hear their position whenever it changes; cancelling a ticket withdraws it from the queue or stops its decode loop;
/// the worker never waits for a browser (events go into each ticket's own unbounded channel).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue: requests wait in it in order.")]
public sealed partial class GenerationQueue : IDisposable
{
    private readonly IChatClientSource _source;
    private readonly ILogger<GenerationQueue> _logger;
    private readonly TimeProvider _time;
    private readonly int _maxWaiting;
    private readonly LinkedList<Entry> _waiting = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private Task? _worker;
    private Entry? _running;

    public GenerationQueue(IChatClientSource source, IOptions<WebSettings> settings, ILogger<GenerationQueue> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _maxWaiting = Math.Max(1, settings.Value.MaxQueueLength);
    }

    /// <summary>Queues a request. Cancelling <paramref name="cancellationToken"/> (a closed tab) or the ticket stops it.</summary>
    public GenerationTicket Enqueue(IReadOnlyList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        var ticket = new GenerationTicket(CancellationTokenSource.CreateLinkedTokenSource(cancellationToken));
        var entry = new Entry(ticket, messages, options);
        lock (_lock)
        {
            if (_waiting.Count >= _maxWaiting)
            {
                Finish(ticket, new GenerationEvent.Failed($"The queue is full ({_maxWaiting} requests are waiting). Please try again in a moment."));
                return ticket;
            }

            entry.Node = _waiting.AddLast(entry);
            _worker ??= Task.Run(WorkAsync, CancellationToken.None);
            AnnouncePositions();
        }

        // Registered outside the lock: an already-cancelled token runs the callback right here.
        entry.Registration = ticket.Token.Register(() => Withdraw(entry));
        _signal.Release();
        return ticket;
    }

    /// <summary>
    /// Refuses the waiting requests, stops the running one and waits (briefly) for its decode loop to end, so the model
    /// (disposed after this queue) is never torn down under a running inference.
    /// </summary>
    public void Dispose()
    {
        _shutdown.Cancel();
        Task? worker;
        lock (_lock)
        {
            foreach (var entry in _waiting)
            {
                entry.Node = null; // Withdrawn: a later cancellation of its ticket has nothing to remove.
                Finish(entry.Ticket, new GenerationEvent.Failed("The server is shutting down."));
            }

            _waiting.Clear();
            _running?.Ticket.Cancel();
            worker = _worker;
        }

        worker?.Wait(TimeSpan.FromSeconds(10));
    }

    private void Withdraw(Entry entry)
    {
        lock (_lock)
        {
            if (entry.Node is null)
            {
                return; // The worker has it (and sees the cancelled token), or it has finished.
            }

            _waiting.Remove(entry.Node);
            entry.Node = null;
            AnnouncePositions();
        }

        Finish(entry.Ticket, new GenerationEvent.Cancelled());
    }

    /// <summary>Tells every waiting request its position. Called under the lock; positions change only here.</summary>
    private void AnnouncePositions()
    {
        var position = 1;
        foreach (var waiting in _waiting)
        {
            waiting.Ticket.Writer.TryWrite(new GenerationEvent.Queued(position++));
        }
    }

    private async Task WorkAsync()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Entry? next = null;
            lock (_lock)
            {
                if (_waiting.First is { } first)
                {
                    next = first.Value;
                    _waiting.RemoveFirst();
                    next.Node = null;
                    _running = next;
                    AnnouncePositions();
                }
            }

            if (next is not null)
            {
                await RunAsync(next).ConfigureAwait(false);
                lock (_lock)
                {
                    _running = null;
                }

                await next.Registration.DisposeAsync().ConfigureAwait(false);

                // The request's pixels, masks and features are garbage now: give their memory back to the machine.
                MemoryTrim.AfterRequest();
            }
        }
    }

    private async Task RunAsync(Entry entry)
    {
        var ticket = entry.Ticket;
        var token = ticket.Token;
        if (token.IsCancellationRequested)
        {
            Finish(ticket, new GenerationEvent.Cancelled());
            return;
        }

        if (_source.ChatClient is not { } client)
        {
            Finish(ticket, new GenerationEvent.Failed("No model is loaded. Open the page's set-up panel to add one or start the demo model."));
            return;
        }

        ticket.Writer.TryWrite(new GenerationEvent.Started());
        var start = _time.GetTimestamp();
        double? firstToken = null;
        var tokens = 0;
        ChatResponseUpdate? last = null;
        UsageDetails? usage = null;
        GenerationEvent outcome;
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync(entry.Messages, entry.Options, token).ConfigureAwait(false))
            {
                var text = update.Text;
                if (text.Length > 0)
                {
                    tokens++;
                    firstToken ??= _time.GetElapsedTime(start).TotalMilliseconds;
                    ticket.Writer.TryWrite(new GenerationEvent.Text(text, tokens));
                }

                usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
                last = update;
            }

            outcome = new GenerationEvent.Completed(Stats(usage, last, firstToken ?? _time.GetElapsedTime(start).TotalMilliseconds), last?.FinishReason);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            outcome = new GenerationEvent.Cancelled();
        }
        catch (Exception ex)
        {
            // The boundary between the model and a browser: the user gets words, the log gets the exception.
            Log.GenerationFailed(_logger, ex);
            outcome = new GenerationEvent.Failed(ForUser(ex));
        }

        Finish(ticket, outcome);
    }

    private static AnswerStats Stats(UsageDetails? usage, ChatResponseUpdate? last, double firstTokenMilliseconds)
    {
        var vision = usage?.AdditionalCounts?.TryGetValue("vision_tokens", out var v) == true ? v : 0;
        var speed = last?.AdditionalProperties?.TryGetValue("decode_tokens_per_second", out var s) == true && s is double d ? d : 0;
        return new AnswerStats(vision, usage?.OutputTokenCount ?? 0, firstTokenMilliseconds, speed);
    }

    private static string ForUser(Exception exception) => exception switch
    {
        ImageInputException or VideoInputException or RequestBudgetException or ModelFolderException or InferenceException or OpenVinoException
            or NotSupportedException or ArgumentException => exception.Message,
        OutOfMemoryException => "The model ran out of memory. Try fewer or smaller images, or a lower image budget in the settings.",
        _ => "Something went wrong while answering; the server log has the details.",
    };

    private static void Finish(GenerationTicket ticket, GenerationEvent outcome)
    {
        ticket.Writer.TryWrite(outcome);
        ticket.Writer.TryComplete();
    }

    private sealed class Entry(GenerationTicket ticket, IReadOnlyList<ChatMessage> messages, ChatOptions options)
    {
        public GenerationTicket Ticket { get; } = ticket;

        public IReadOnlyList<ChatMessage> Messages { get; } = messages;

        public ChatOptions Options { get; } = options;

        /// <summary>Its place in the waiting list; null once the worker took it or it was withdrawn.</summary>
        public LinkedListNode<Entry>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "A generation request failed.")]
        public static partial void GenerationFailed(ILogger logger, Exception exception);
    }
}
