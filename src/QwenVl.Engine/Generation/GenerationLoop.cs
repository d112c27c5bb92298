using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using QwenVl.Engine.Budget;
using QwenVl.Engine.Model;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Runtime;
using QwenVl.Engine.Tokenization;

namespace QwenVl.Engine.Generation;

/// <summary>
/// Prefill and decode for one request: the vision features first (call by call), then the prompt through the language
/// model in chunks of <see cref="InferenceLimits.PrefillChunkTokens"/> against the growing KV cache, each chunk
/// embedded and merged on its own and given its slice of the mRoPE positions, reading the last logits row only; then
/// one token per step at position past + rope_delta on all three axes, until an end-of-sequence id or max_new_tokens.
/// </summary>
internal sealed class GenerationLoop(VisionEncoder vision, InputsEmbedder embedder, ILanguageModelSession language,
    QwenTokenizer tokenizer, ModelFolder folder, Func<TimeSpan> runtimeTime)
{
    public void Run(PreparedPrompt prompt, GenerationOptions options, InferenceLimits limits, LogitsSampler sampler,
        ChannelWriter<GenerationUpdate> output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var logits = new float[language.VocabularySize];
        var visionMs = Prefill(prompt, limits, logits, cancellationToken);
        var prefillMs = clock.Elapsed.TotalMilliseconds - visionMs;

        var eos = folder.Generation.EosTokenIds.ToHashSet();
        var context = new List<int>(prompt.InputIds.Length + options.MaxNewTokens);
        context.AddRange(prompt.InputIds);
        var generated = new List<int>();
        var detokenizer = tokenizer.CreateStreamingDetokenizer();
        var positions = new long[3];
        double firstTokenMs = 0;
        TimeSpan runtimeAtFirstToken = default;
        var finish = GenerationFinishReason.Length;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var token = sampler.Next(logits, CollectionsMarshal.AsSpan(context));
            if (generated.Count == 0)
            {
                firstTokenMs = clock.Elapsed.TotalMilliseconds;
                runtimeAtFirstToken = runtimeTime();
            }

            if (eos.Contains(token))
            {
                finish = GenerationFinishReason.EndOfSequence;
                break;
            }

            generated.Add(token);
            context.Add(token);
            output.TryWrite(new GenerationUpdate(detokenizer.Append(token), token));
            if (generated.Count >= options.MaxNewTokens)
            {
                break;
            }

            // Decode step: the new token alone, at past length + rope_delta on all three axes.
            positions.AsSpan().Fill(language.PastLength + prompt.Positions.RopeDelta);
            language.Forward(embedder.Embed([token]), 1, positions, logits);
        }

        var decodeSeconds = (clock.Elapsed.TotalMilliseconds - firstTokenMs) / 1000;
        var metrics = new GenerationMetrics
        {
            PromptTokens = prompt.InputIds.Length,
            VisionTokens = prompt.ImageTokenCount + prompt.VideoTokenCount,
            OutputTokens = generated.Count,
            VisionEncodeMilliseconds = visionMs,
            PrefillMilliseconds = prefillMs,
            TimeToFirstTokenMilliseconds = firstTokenMs,
            DecodeTokensPerSecond = generated.Count > 1 && decodeSeconds > 0 ? (generated.Count - 1) / decodeSeconds : 0,
            HostMillisecondsPerToken = generated.Count > 1
                ? ((decodeSeconds * 1000) - (runtimeTime() - runtimeAtFirstToken).TotalMilliseconds) / (generated.Count - 1)
                : 0,
        };
        output.TryWrite(new GenerationUpdate(detokenizer.Flush(), null) { FinishReason = finish, Metrics = metrics, TokenIds = generated });
    }

    /// <summary>Encodes the images and videos and prefills a fresh cache chunk by chunk; returns the vision milliseconds.</summary>
    public double Prefill(PreparedPrompt prompt, InferenceLimits limits, Span<float> lastLogits, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (images, videos) = EncodeVision(prompt, limits.VisionPatchesPerCall, cancellationToken);
        var visionMs = clock.Elapsed.TotalMilliseconds;

        var ids = prompt.InputIds;
        var length = ids.Length;
        var chunk = Math.Min(limits.PrefillChunkTokens, length);
        var positions = new long[3 * chunk];
        var all = prompt.Positions.PositionIds;
        language.Reset();
        for (var start = 0; start < length; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(chunk, length - start);
            var slice = positions.AsSpan(0, 3 * count);
            for (var axis = 0; axis < 3; axis++)
            {
                all.AsSpan((axis * length) + start, count).CopyTo(slice.Slice(axis * count, count));
            }

            language.Forward(embedder.Embed(ids.AsSpan(start, count), images, videos), count, slice, lastLogits);
        }

        images.EnsureAllTaken();
        videos.EnsureAllTaken();
        return visionMs;
    }

    /// <summary>The merged features of the prompt's images and of its videos, each as a cursor in prompt order.</summary>
    public (VisionFeatureCursor Images, VisionFeatureCursor Videos) EncodeVision(PreparedPrompt prompt, int maxPatchesPerCall, CancellationToken cancellationToken)
    {
        var images = vision.Encode(prompt.ImageGrids, [.. prompt.Images.Select(i => i.PixelValues)], maxPatchesPerCall, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var videos = vision.Encode([.. prompt.Videos.Select(v => v.Grid)], [.. prompt.Videos.Select(v => v.PixelValues)], maxPatchesPerCall, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return (new VisionFeatureCursor(images, embedder.Hidden, "image"), new VisionFeatureCursor(videos, embedder.Hidden, "video"));
    }
}
