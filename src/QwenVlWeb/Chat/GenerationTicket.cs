using System.Threading.Channels;

namespace QwenVlWeb.Chat;

/// <summary>One request in the <see cref="GenerationQueue"/>: its events, and the way to stop it.</summary>
public sealed class GenerationTicket : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Channel<GenerationEvent> _events = Channel.CreateUnbounded<GenerationEvent>(new UnboundedChannelOptions { SingleReader = true });

    internal GenerationTicket(CancellationTokenSource stop) => _stop = stop;

    /// <summary>
    /// The request's events. Unbounded on purpose: the decode loop never waits for a slow browser; a reader that falls
    /// behind catches up in one batch (an answer is at most a few thousand small strings).
    /// </summary>
    public ChannelReader<GenerationEvent> Events => _events.Reader;

    internal CancellationToken Token => _stop.Token;

    internal ChannelWriter<GenerationEvent> Writer => _events.Writer;

    /// <summary>Stops the request, whether it waits or runs. Safe to call more than once, or after it ended.</summary>
    public void Cancel()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        Cancel();
        _stop.Dispose();
    }
}
