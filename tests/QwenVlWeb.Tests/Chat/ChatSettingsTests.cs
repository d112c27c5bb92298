using System.Text.Json;
using QwenVl.Engine.Generation;
using QwenVlWeb.Chat;

namespace QwenVlWeb.Tests.Chat;

public sealed class ChatSettingsTests
{
    [Fact]
    public void Values_from_a_tampered_browser_store_are_clamped()
    {
        var stored = JsonSerializer.Deserialize<ChatSettings>("""
            {"SystemPrompt": null, "MaxNewTokens": -5, "Temperature": 1e308, "TopP": 0, "TopK": -1, "RepetitionPenalty": 0.1,
             "MinImageTokens": 999999, "MaxImageTokens": 1}
            """)!;

        var settings = stored.Normalized();

        Assert.Equal(string.Empty, settings.SystemPrompt);
        Assert.Equal(1, settings.MaxNewTokens);
        Assert.Equal(2, settings.Temperature);
        Assert.Equal(0.01, settings.TopP);
        Assert.Equal(0, settings.TopK);
        Assert.Equal(1, settings.RepetitionPenalty);
        Assert.Equal(16384, settings.MinImageTokens);
        Assert.Equal(16384, settings.MaxImageTokens);
    }

    [Fact]
    public void The_model_decides_sampling_unless_the_user_takes_over()
    {
        var model = new ChatSettings().ToChatOptions();
        var user = new ChatSettings { UseModelSampling = false, Temperature = 0.3, TopP = 0.8, TopK = 20, RepetitionPenalty = 1.2 }.ToChatOptions();

        Assert.Null(model.Temperature);
        Assert.Null(model.TopP);
        Assert.False(model.AdditionalProperties!.ContainsKey(QwenVlChatClient.RepetitionPenaltyKey));
        Assert.Equal(256L * 28 * 28, model.AdditionalProperties[QwenVlChatClient.MinPixelsKey]);
        Assert.Equal(1280L * 28 * 28, model.AdditionalProperties[QwenVlChatClient.MaxPixelsKey]);
        Assert.Equal(512, model.MaxOutputTokens);

        Assert.Equal(0.3f, user.Temperature);
        Assert.Equal(0.8f, user.TopP);
        Assert.Equal(20, user.TopK);
        Assert.Equal(1.2, user.AdditionalProperties![QwenVlChatClient.RepetitionPenaltyKey]);
    }
}
