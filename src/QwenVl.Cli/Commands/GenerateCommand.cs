using System.CommandLine;
using System.Text.Json;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime;
using QwenVl.Engine.Runtime.OpenVino;
using QwenVl.Engine.Vision;

namespace QwenVl.Cli.Commands;

/// <summary><c>qwenvl generate</c>: answer one prompt (with images) from a model folder, streaming the text to stdout.</summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var prompt = new PromptArguments();
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Longest answer in tokens.", DefaultValueFactory = _ => 512 };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature (0 = greedy). Unset: the model's generation_config.json." };
        var topP = new Option<float?>("--top-p") { Description = "Nucleus sampling mass." };
        var topK = new Option<int?>("--top-k") { Description = "Keep the k most likely tokens (0 = off)." };
        var repetitionPenalty = new Option<float?>("--repetition-penalty") { Description = "Penalty for tokens already in the context (1 = off)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed for reproducible sampling." };
        var backend = new Option<string>("--backend") { Description = "auto, onnxruntime or openvino.", DefaultValueFactory = _ => "auto" };
        var device = new Option<string>("--device") { Description = "Device (CPU for ONNX Runtime).", DefaultValueFactory = _ => "CPU" };
        var minPixels = new Option<long?>("--min-pixels") { Description = "Smallest resized image area in pixels (default 200,704 = 256 tokens, the notebook's)." };
        var maxPixels = new Option<long?>("--max-pixels") { Description = "Largest resized image area in pixels (default 1,003,520 = 1280 tokens, the notebook's)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (text, token_ids, prompt_tokens, vision_tokens, ttft_ms, decode_tokens_per_second) instead of streaming." };

        var command = new Command("generate", "Answer a prompt about images with a model folder.");
        prompt.AddTo(command);
        prompt.AddLimitsTo(command);
        foreach (var option in new Option[] { maxNewTokens, temperature, topP, topK, repetitionPenalty, seed, minPixels, maxPixels, backend, device, json })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(stderr, async ct =>
        {
            var folder = ModelFolder.Load(parse.GetValue(prompt.Model)!);
            var limits = prompt.Limits(parse);
            using var loaded = BackendSelection.Load(folder, parse.GetValue(backend)!, parse.GetValue(device)!, new OpenVinoSearchSettings(), limits);

            var budget = new PixelBudget(parse.GetValue(minPixels) ?? PixelBudget.Notebook.MinPixels, parse.GetValue(maxPixels) ?? PixelBudget.Notebook.MaxPixels);
            var (decoded, videos) = await prompt.LoadWithinBudgetAsync(parse, loaded, budget, parse.GetValue(maxNewTokens), ct).ConfigureAwait(false);
            var prepared = loaded.Processor.Prepare(prompt.Turns(parse, decoded, videos), decoded, videos, budget);
            var options = new GenerationOptions
            {
                MaxNewTokens = parse.GetValue(maxNewTokens),
                Sampling = SamplingOptions.ForRequest(folder.Generation, parse.GetValue(temperature), parse.GetValue(topP), parse.GetValue(topK), parse.GetValue(repetitionPenalty), parse.GetValue(seed)),
            };

            var asJson = parse.GetValue(json);
            var text = new System.Text.StringBuilder();
            GenerationUpdate? last = null;
            await foreach (var update in loaded.GenerateAsync(prepared, options, ct).ConfigureAwait(false))
            {
                text.Append(update.Text);
                if (!asJson && update.Text.Length > 0)
                {
                    await stdout.WriteAsync(update.Text).ConfigureAwait(false);
                    await stdout.FlushAsync(ct).ConfigureAwait(false);
                }

                last = update;
            }

            var metrics = last!.Metrics!;
            if (asJson)
            {
                WriteJson(stdout, text.ToString(), last, metrics);
            }
            else
            {
                stdout.WriteLine();
                stderr.WriteLine($"[{metrics.PromptTokens} prompt tokens ({metrics.VisionTokens} vision), {metrics.OutputTokens} generated, " +
                    $"first token {metrics.TimeToFirstTokenMilliseconds:0} ms, {metrics.DecodeTokensPerSecond:0.0} tokens/s, " +
                    $"host {metrics.HostMillisecondsPerToken:0.000} ms/token, {loaded.BackendDescription}]");
            }

            return 0;
        }, cancellationToken));

        return command;
    }

    private static void WriteJson(TextWriter stdout, string text, GenerationUpdate last, GenerationMetrics metrics)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", text);
            json.WriteStartArray("token_ids");
            foreach (var id in last.TokenIds!)
            {
                json.WriteNumberValue(id);
            }

            json.WriteEndArray();
            json.WriteNumber("prompt_tokens", metrics.PromptTokens);
            json.WriteNumber("vision_tokens", metrics.VisionTokens);
            json.WriteNumber("ttft_ms", Math.Round(metrics.TimeToFirstTokenMilliseconds, 3));
            json.WriteNumber("decode_tokens_per_second", Math.Round(metrics.DecodeTokensPerSecond, 3));
            json.WriteNumber("host_ms_per_token", Math.Round(metrics.HostMillisecondsPerToken, 4));
            json.WriteString("finish_reason", last.FinishReason == GenerationFinishReason.EndOfSequence ? "stop" : "length");
            json.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
