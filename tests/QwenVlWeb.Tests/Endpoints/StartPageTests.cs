using System.Net;
using Microsoft.Extensions.DependencyInjection;
using QwenVlWeb.Services;
using QwenVlWeb.Tests.Support;

namespace QwenVlWeb.Tests.Endpoints;

public sealed class StartPageTests : IDisposable
{
    private readonly WebAppFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Without_a_model_the_page_says_what_to_do_and_offers_the_demo()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("No model yet", html, StringComparison.Ordinal);
        Assert.Contains("does not exist yet", html, StringComparison.Ordinal);
        Assert.Contains("optimum-cli export openvino --model Qwen/Qwen2.5-VL-3B-Instruct", html, StringComparison.Ordinal);
        Assert.Contains("Engine:ModelPath", html, StringComparison.Ordinal);
        Assert.Contains("Start the demo model", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_model_is_generated_once_and_loads_as_a_demo()
    {
        var host = _factory.Services.GetRequiredService<ModelHost>();
        Assert.Equal(ModelState.Missing, host.State);

        await host.UseDemoModelAsync();

        Assert.Equal(ModelState.Ready, host.State);
        Assert.True(host.IsDemo);
        Assert.NotNull(host.ChatClient);
        Assert.True(File.Exists(Path.Combine(_factory.ScratchFolder, "demo-model", QwenVl.ModelBuilder.GeneratedModelWriter.MarkerFileName)));

        using var client = _factory.CreateClient();
        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("random weights", html, StringComparison.Ordinal);
    }
}
