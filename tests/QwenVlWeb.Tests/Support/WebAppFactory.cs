using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using QwenVlWeb.Services;

namespace QwenVlWeb.Tests.Support;

/// <summary>
/// The real app, hosted in the test process. No model is configured (the page offers the demo model); the demo
/// model is generated into a folder of the test's own; settings can be added per test.
/// </summary>
public class WebAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly List<ChatClientDecorator> _decorators = [];

    public WebAppFactory(Dictionary<string, string?>? settings = null)
    {
        ScratchFolder = Directory.CreateTempSubdirectory("qwenvlweb-tests-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["Engine:ModelPath"] = Path.Combine(ScratchFolder, "no-model-here"),
            ["Web:DemoModelPath"] = Path.Combine(ScratchFolder, "demo-model"),
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    /// <summary>A folder deleted with the factory.</summary>
    public string ScratchFolder { get; }

    /// <summary>Adds a wrapper around the model's chat client (register before the first request).</summary>
    public WebAppFactory WithDecorator(ChatClientDecorator decorator)
    {
        _decorators.Add(decorator);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            foreach (var decorator in _decorators)
            {
                services.AddSingleton(decorator);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(ScratchFolder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
