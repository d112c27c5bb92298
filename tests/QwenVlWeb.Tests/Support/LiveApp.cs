using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using QwenVlWeb.Services;

namespace QwenVlWeb.Tests.Support;

/// <summary>
/// The app on a real Kestrel port with the demo model loaded, and Debian's Chromium driven by Playwright (browsers
/// cannot be downloaded here, so Playwright starts the installed one). When Chromium is missing, tests skip with the reason.
/// </summary>
public sealed class LiveApp : IAsyncLifetime
{
    /// <summary>Where Chromium is looked for: CHROMIUM_PATH, else Debian's package.</summary>
    public static string ChromiumPath { get; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public static string? MissingReason => File.Exists(ChromiumPath)
        ? null
        : $"Chromium is not installed at {ChromiumPath} (apt-get install chromium, or set CHROMIUM_PATH); the browser tests need it.";

    /// <summary>Screenshots of the main states, for people to look at.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "test-output", "screenshots");

    private WebAppFactory? _factory;
    private IPlaywright? _playwright;

    /// <summary>Engine:MaxPromptTokens of the app under test.</summary>
    public const int BudgetTokens = 12_000;

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>Answers whose prompt starts with this come from <see cref="ScriptedAnswers"/>, not the model.</summary>
    public ScriptedAnswers Scripted { get; } = new();

    public async ValueTask InitializeAsync()
    {
        if (MissingReason is not null)
        {
            return;
        }

        // A token budget the page's budget test can pass with typed text; every other test stays far below it.
        _factory = new WebAppFactory(new() { ["Engine:MaxPromptTokens"] = BudgetTokens.ToString(System.Globalization.CultureInfo.InvariantCulture) }).WithDecorator(new ChatClientDecorator(inner => new ScriptedAnswersClient(inner, Scripted)));
        _factory.UseKestrel(0);
        _factory.StartServer();
        var server = _factory.Services.GetRequiredService<IServer>();
        BaseUrl = server.Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        await _factory.Services.GetRequiredService<ModelHost>().UseDemoModelAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Without these, Chromium keeps trying to reach Google's services from a machine with no internet.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
