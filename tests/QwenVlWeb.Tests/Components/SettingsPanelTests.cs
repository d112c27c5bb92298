using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using QwenVlWeb.Chat;
using QwenVlWeb.Components.Chat;

namespace QwenVlWeb.Tests.Components;

public sealed class SettingsPanelTests : BunitContext
{
    public SettingsPanelTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Changes_are_passed_up_clamped_to_what_the_engine_accepts()
    {
        var changes = new List<ChatSettings>();
        var cut = Render<SettingsPanel>(p => p.Add(x => x.Settings, new ChatSettings()).Add(x => x.SettingsChanged, s => changes.Add(s)));

        cut.Find("input[data-testid=max-new-tokens]").Change("100000");

        Assert.Equal(ChatSettings.MaxAnswerTokens, changes.Last().MaxNewTokens);
    }

    [Fact]
    public void Sampling_controls_are_off_while_the_model_decides()
    {
        var modelDecides = Render<SettingsPanel>(p => p.Add(x => x.Settings, new ChatSettings { UseModelSampling = true }));
        var userDecides = Render<SettingsPanel>(p => p.Add(x => x.Settings, new ChatSettings { UseModelSampling = false }));

        // Temperature and top-p follow the switch; the video rate does not depend on it.
        Assert.Equal(2, modelDecides.FindAll(".mud-slider input").Count(i => i.HasAttribute("disabled")));
        Assert.Equal(0, userDecides.FindAll(".mud-slider input").Count(i => i.HasAttribute("disabled")));
    }

    [Fact]
    public void Reset_restores_the_defaults_but_keeps_the_theme()
    {
        ChatSettings? changed = null;
        var cut = Render<SettingsPanel>(p => p.Add(x => x.Settings, new ChatSettings { MaxNewTokens = 7, DarkMode = true })
            .Add(x => x.SettingsChanged, s => changed = s));

        cut.FindAll("button").Single(b => b.TextContent.Contains("Reset", StringComparison.OrdinalIgnoreCase)).Click();

        Assert.Equal(new ChatSettings { DarkMode = true }, changed);
    }
}
