using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using QwenVlWeb.Chat;
using QwenVlWeb.Markdown;
using QwenVlWeb.Services;

namespace QwenVlWeb.Benchmarks;

/// <summary>
/// <c>page-latency [--answers N] [--tokens T]</c>: the app on Kestrel (loopback) with the demo model, Debian's Chromium
/// through Playwright. For each answer: the delay from each token leaving the decode loop (a wrapper around the model's
/// chat client stamps it) to the page showing it (a MutationObserver stamps the answer's <c>data-tokens</c>), and the
/// server time spent rendering markdown against the answer's generation time. Both clocks are this machine's wall clock.
/// </summary>
internal static class PageLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var answers = Option(args, "--answers", 5);
        var tokens = Option(args, "--tokens", AnswerText.Tokens);
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            await Console.Error.WriteLineAsync($"Chromium is not installed at {chromium} (apt-get install chromium, or set CHROMIUM_PATH).");
            return 2;
        }

        // WebApplicationFactory finds the app's content root through MvcTestingAppManifest.json in the current folder.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var scratch = Directory.CreateTempSubdirectory("qwenvl-latency-").FullName;
        var released = new ConcurrentQueue<double>();
        try
        {
            await using var factory = new LatencyFactory(scratch, released);
            factory.UseKestrel(0);
            factory.StartServer();
            var baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            await factory.Services.GetRequiredService<ModelHost>().UseDemoModelAsync();
            var renderer = factory.Services.GetRequiredService<MarkdownRenderer>();

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
            var settings = new ChatSettings { MaxNewTokens = tokens, UseModelSampling = false, Temperature = 1, TopP = 1, TopK = 0 };
            await context.AddInitScriptAsync($$"""
                localStorage.setItem('qwenvl.settings.v1', {{JsonSerializer.Serialize(JsonSerializer.Serialize(settings))}});
                window.__shown = [];
                new MutationObserver(records => {
                    const now = performance.timeOrigin + performance.now();
                    for (const r of records) window.__shown.push([Number(r.target.getAttribute('data-tokens')), now]);
                }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-tokens'] });
                """);
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(180_000);
            await page.GotoAsync("/");
            await Assertions.Expect(page.GetByTestId("composer")).ToHaveAttributeAsync("data-ready", "true");

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{answers} answers of up to {tokens} tokens on the demo model, {Environment.ProcessorCount} cores."));
            Console.WriteLine("answer  tokens  p50 ms  p95 ms  max ms  tokens/s  markdown ms  generation ms  markdown/generation");
            var p95s = new List<double>();
            var ratios = new List<double>();
            for (var answer = 1; answer <= answers; answer++)
            {
                released.Clear();
                await page.EvaluateAsync("() => { window.__shown = []; }");
                var before = renderer.Work.Elapsed;
                await page.GetByTestId("prompt").FillAsync($"Tell me a story, take {answer}.");
                await page.GetByTestId("send").ClickAsync();
                await Assertions.Expect(page.GetByTestId("answer").Last).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("Done|Stopped|Failed"), new() { Timeout = 300_000 });
                var markdown = (renderer.Work.Elapsed - before).TotalMilliseconds;

                var shown = await page.EvaluateAsync<double[][]>("() => window.__shown");
                var times = released.ToArray();
                var delays = new List<double>();
                for (var i = 0; i < times.Length; i++)
                {
                    var at = shown.FirstOrDefault(s => s[0] >= i + 1);
                    if (at is not null)
                    {
                        delays.Add(at[1] - times[i]);
                    }
                }

                delays.Sort();
                var generation = times[^1] - times[0];
                var p95 = Percentile(delays, 0.95);
                p95s.Add(p95);
                ratios.Add(markdown / generation);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{answer,6}  {times.Length,6}  {Percentile(delays, 0.5),6:0.0}  {p95,6:0.0}  {delays[^1],6:0.0}  {(times.Length - 1) / (generation / 1000),8:0.0}  {markdown,11:0.0}  {generation,13:0}  {markdown / generation,19:P2}"));
                await page.GetByTestId("clear").ClickAsync();
            }

            p95s.Sort();
            ratios.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median p95 delay {Percentile(p95s, 0.5):0.0} ms; median markdown/generation {Percentile(ratios, 0.5):P2}"));
            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static double NowMilliseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    private sealed class LatencyFactory(string scratch, ConcurrentQueue<double> released) : WebApplicationFactory<global::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Engine:ModelPath", Path.Combine(scratch, "none"));
            builder.UseSetting("Web:DemoModelPath", Path.Combine(scratch, "demo"));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureServices(services => services.AddSingleton(new ChatClientDecorator(inner => new StampingClient(inner, released))));
        }
    }

    /// <summary>Stamps each text update as it leaves the model's chat client, before the queue sees it.</summary>
    private sealed class StampingClient(IChatClient inner, ConcurrentQueue<double> released) : DelegatingChatClient(inner)
    {
        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                if (update.Text.Length > 0)
                {
                    released.Enqueue(NowMilliseconds());
                }

                yield return update;
            }
        }
    }
}
