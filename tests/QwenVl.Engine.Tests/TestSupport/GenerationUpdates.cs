using QwenVl.Engine.Generation;

namespace QwenVl.Engine.Tests.TestSupport;

/// <summary>Reads a whole streamed answer: the concatenated text and the final update (finish reason, metrics, all token ids).</summary>
internal static class GenerationUpdates
{
    public static async Task<(string Text, GenerationUpdate Final)> CollectAsync(this IAsyncEnumerable<GenerationUpdate> updates)
    {
        var text = new System.Text.StringBuilder();
        GenerationUpdate? last = null;
        await foreach (var update in updates)
        {
            text.Append(update.Text);
            last = update;
        }

        return (text.ToString(), last!);
    }
}
