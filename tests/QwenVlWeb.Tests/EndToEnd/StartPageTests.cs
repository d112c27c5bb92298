using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using QwenVlWeb.Chat;
using QwenVlWeb.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace QwenVlWeb.Tests.EndToEnd;

/// <summary>A fresh app with no model, as a first-time user meets it: the set-up page, then the demo model from its button.</summary>
[Collection(BrowserTestsDefinition.Name)]
public sealed class StartPageTests(LiveApp app)
{
    [Fact]
    public async Task Without_a_model_the_page_explains_and_the_demo_button_leads_to_a_working_chat()
    {
        if (LiveApp.MissingReason is { } reason)
        {
            Assert.Skip(reason);
        }

        await using var fresh = new WebAppFactory();
        fresh.UseKestrel(0);
        fresh.StartServer();
        var baseUrl = fresh.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1200, Height = 860 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await Expect(page.GetByTestId("setup-problem")).ToContainTextAsync("does not exist yet");
        await Expect(page.GetByTestId("setup")).ToContainTextAsync("optimum-cli export openvino --model Qwen/Qwen2.5-VL-3B-Instruct");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LiveApp.ScreenshotFolder, "00-no-model.png"), FullPage = true });

        // The button works once the circuit is up (the first render is static).
        await Expect(page.GetByTestId("setup")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByTestId("start-demo").ClickAsync();
        await Expect(page.GetByTestId("composer")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 120_000 });
        await Expect(page.GetByTestId("demo-label")).ToContainTextAsync("random weights");

        await page.GetByTestId("prompt").FillAsync("Hello?");
        await page.GetByTestId("send").ClickAsync();
        await Expect(page.GetByTestId("answer").Last).ToHaveAttributeAsync("data-state", nameof(AnswerState.Done), new() { Timeout = 60_000 });
        await context.CloseAsync();
    }
}
