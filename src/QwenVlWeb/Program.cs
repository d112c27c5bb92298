using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using QwenVlWeb.Access;
using QwenVlWeb.Chat;
using QwenVlWeb.Components;
using QwenVlWeb.Markdown;
using QwenVlWeb.Services;
using QwenVlWeb.Uploads;

var builder = WebApplication.CreateBuilder(args);

// appsettings.json lives at the repository root and is copied next to the app. Read it first, so environment
// variables and the command line (e.g. --Engine:ModelPath=...) still override it.
var settingsFile = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Optional = true, ReloadOnChange = true };
settingsFile.ResolveFileProvider();
builder.Configuration.Sources.Insert(0, settingsFile);

// Serve package assets (MudBlazor, blazor.web.js) from the build's manifest in every environment when running from
// the source tree; a published app has them in wwwroot and this does nothing.
builder.WebHost.UseStaticWebAssets();

builder.Services.Configure<EngineSettings>(builder.Configuration.GetSection(EngineSettings.Section));
builder.Services.Configure<WebSettings>(builder.Configuration.GetSection(WebSettings.Section));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => ModelSetup.Check(sp.GetRequiredService<IOptions<EngineSettings>>().Value));
builder.Services.AddSingleton<ModelHost>();
builder.Services.AddSingleton<IChatClientSource>(sp => sp.GetRequiredService<ModelHost>());
builder.Services.AddSingleton<GenerationQueue>();
builder.Services.AddSingleton<MarkdownRenderer>();
builder.Services.AddSingleton<UploadStore>();
builder.Services.AddSingleton<ImageIntake>();
builder.Services.AddSingleton<AccessGate>();
builder.Services.AddSingleton<ShareAddresses>();
builder.Services.AddSingleton<ExampleGallery>();
builder.Services.AddMudServices();
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents(options => options.DetailedErrors = false)

    // The prompt box takes up to Home.MaxPromptLength characters, which its input event carries in one message:
    // SignalR's default 32 KB would drop the circuit on a long paste (4 bytes per character covers any UTF-8).
    .AddHubOptions(options => options.MaximumReceiveMessageSize = (4 * QwenVlWeb.Components.Pages.Home.MaxPromptLength) + (16 * 1024));

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAccessGate();
app.UseAntiforgery();

app.MapStaticAssets();
var gallery = app.Services.GetRequiredService<ExampleGallery>();
if (Directory.Exists(gallery.Folder))
{
    app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(gallery.Folder), RequestPath = ExampleGallery.UrlPrefix });
}

app.MapAccess();
app.MapUploads();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

var host = app.Services.GetRequiredService<ModelHost>();
if (host.Setup.Problem is not null)
{
    StartupLog.NoUsableModel(app.Logger, host.Setup.Problem);
}

_ = host.StartAsync();
app.Run();

/// <summary>The app's entry point; public so tests can host it (WebApplicationFactory).</summary>
public partial class Program;
