using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime;
using QwenVl.Engine.Runtime.OpenVino;
using QwenVl.Engine.Vision;

namespace QwenVl.Cli.Commands;

/// <summary>
/// <c>qwenvl bench</c>: the same greedy request several times in one process on a backend and device, reporting the
/// median time to first token, prefill, vision encode, decode tokens/s and host work per token (the first run warms
/// up and is not counted). Quote medians: machines are noisy.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var prompt = new PromptArguments();
        prompt.Prompt.Required = false;
        prompt.Prompt.DefaultValueFactory = _ => "Describe this image in detail.";
        var runs = new Option<int>("--runs") { Description = "Measured runs (after one warm-up run).", DefaultValueFactory = _ => 5 };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Tokens per run.", DefaultValueFactory = _ => 64 };
        var backend = new Option<string>("--backend") { Description = "auto, onnxruntime or openvino.", DefaultValueFactory = _ => "auto" };
        var device = new Option<string>("--device") { Description = "Device.", DefaultValueFactory = _ => "CPU" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every run and the medians." };
        var command = new Command("bench", "Measure generation speed on this machine (median of several runs in one process).");
        prompt.AddTo(command);
        prompt.AddLimitsTo(command);
        foreach (var option in new Option[] { runs, maxNewTokens, backend, device, json })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(stderr, async ct =>
        {
            var count = parse.GetValue(runs);
            if (count < 1)
            {
                throw new ArgumentException("--runs must be at least 1.");
            }

            var folder = ModelFolder.Load(parse.GetValue(prompt.Model)!);
            using var model = BackendSelection.Load(folder, parse.GetValue(backend)!, parse.GetValue(device)!, new OpenVinoSearchSettings(), prompt.Limits(parse));
            var (images, videos) = await prompt.LoadWithinBudgetAsync(parse, model, PixelBudget.Notebook, parse.GetValue(maxNewTokens), ct).ConfigureAwait(false);
            var prepared = model.Processor.Prepare(prompt.Turns(parse, images, videos), images, videos, PixelBudget.Notebook);
            var options = new GenerationOptions { MaxNewTokens = parse.GetValue(maxNewTokens), Sampling = SamplingOptions.Greedy };

            var measured = new List<GenerationMetrics>();
            var residentAfterRuns = new List<double>();
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            process.Refresh();
            var residentBefore = process.WorkingSet64 / 1048576.0;
            for (var run = 0; run <= count; run++)
            {
                GenerationMetrics? metrics = null;
                await foreach (var update in model.GenerateAsync(prepared, options, ct).ConfigureAwait(false))
                {
                    metrics = update.Metrics ?? metrics;
                }

                if (!parse.GetValue(json))
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{(run == 0 ? "warm-up" : $"run {run}"),-8} first token {metrics!.TimeToFirstTokenMilliseconds,8:0.0} ms  prefill {metrics.PrefillMilliseconds,8:0.0} ms  " +
                        $"vision {metrics.VisionEncodeMilliseconds,7:0.0} ms  decode {metrics.DecodeTokensPerSecond,7:0.0} tokens/s  host {metrics.HostMillisecondsPerToken:0.000} ms/token"));
                }

                if (run > 0)
                {
                    measured.Add(metrics!);
                }

                // As the web app's queue does after each answer: what stays resident is what the next request starts from.
                MemoryTrim.AfterRequest();
                process.Refresh();
                residentAfterRuns.Add(process.WorkingSet64 / 1048576.0);
            }

            process.Refresh();
            var peak = process.PeakWorkingSet64 / 1048576.0;

            var summary = new Dictionary<string, double>
            {
                ["ttft_ms"] = Median(measured, m => m.TimeToFirstTokenMilliseconds),
                ["prefill_ms"] = Median(measured, m => m.PrefillMilliseconds),
                ["vision_encode_ms"] = Median(measured, m => m.VisionEncodeMilliseconds),
                ["decode_tokens_per_second"] = Median(measured, m => m.DecodeTokensPerSecond),
                ["host_ms_per_token"] = Median(measured, m => m.HostMillisecondsPerToken),
            };
            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new
                {
                    backend = model.BackendDescription,
                    prompt_tokens = prepared.InputIds.Length,
                    vision_tokens = prepared.ImageTokenCount + prepared.VideoTokenCount,
                    runs = measured.Count,
                    median = summary,
                    peak_memory_mb = Math.Round(peak),
                    resident_before_mb = Math.Round(residentBefore),
                    resident_after_runs_mb = residentAfterRuns.Select(r => Math.Round(r)).ToArray(),
                }));
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"median of {measured.Count} on {model.BackendDescription} ({prepared.InputIds.Length} prompt tokens, {prepared.ImageTokenCount} vision): " +
                    $"first token {summary["ttft_ms"]:0.0} ms, decode {summary["decode_tokens_per_second"]:0.0} tokens/s, host {summary["host_ms_per_token"]:0.000} ms/token; " +
                    $"peak memory {peak:0} MB, resident {residentBefore:0} MB before the runs and {residentAfterRuns[^1]:0} MB after"));
            }

            return 0;
        }, cancellationToken));

        return command;
    }

    private static double Median(List<GenerationMetrics> runs, Func<GenerationMetrics, double> value)
    {
        var sorted = runs.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
