using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using QwenVlWeb.Services;

namespace QwenVlWeb.Tests.Support;

/// <summary>
/// A chat client for queue tests: answers with the request's last user text split into words, one per update, and
/// waits on <see cref="Gate"/> before each word, so a test decides when a request makes progress.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient, IChatClientSource
{
    public SemaphoreSlim Gate { get; } = new(0);

    public List<string> Started { get; } = [];

    public int Cancelled { get; private set; }

    public Exception? Failure { get; set; }

    IChatClient? IChatClientSource.ChatClient => this;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = messages.Last().Text;
        lock (Started)
        {
            Started.Add(prompt);
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        foreach (var word in prompt.Split(' '))
        {
            try
            {
                await Gate.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled++;
                throw;
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ");
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { OutputTokenCount = prompt.Split(' ').Length })])
        {
            FinishReason = ChatFinishReason.Stop,
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => Gate.Dispose();
}
