using Microsoft.Extensions.Configuration.Json;
using QwenVlWeb.Components;
using QwenVlWeb.Services;

var builder = WebApplication.CreateBuilder(args);

// appsettings.json lives at the repository root and is copied next to the app. Read it first, so environment
// variables and the command line (e.g. --Engine:ModelPath=...) still override it.
var settings = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Optional = true, ReloadOnChange = true };
settings.ResolveFileProvider();
builder.Configuration.Sources.Insert(0, settings);

builder.Services.AddSingleton(sp => ModelSetup.Check(sp.GetRequiredService<IConfiguration>()));
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

var setup = app.Services.GetRequiredService<ModelSetup>();
if (setup.Problem is not null)
{
    StartupLog.NoUsableModel(app.Logger, setup.Problem);
}

app.Run();
