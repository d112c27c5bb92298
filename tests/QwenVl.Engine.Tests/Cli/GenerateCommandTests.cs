using System.Text.Json;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Cli;

public class GenerateCommandTests
{
    [Fact]
    public void Json_output_has_the_contract_fields()
    {
        var (code, stdout, stderr) = CommandLine.Run("generate", "--model", TestAssets.TinyModelFolder, "--prompt", "Describe.", "--image",
            Path.Combine(TestAssets.Images, "gradient_123x77.png"), "--max-new-tokens", "5", "--temperature", "0", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("token_ids").GetArrayLength());
        Assert.Equal(273, root.GetProperty("vision_tokens").GetInt32()); // 123×77 scaled up to the notebook's 256-token minimum
        Assert.True(root.GetProperty("prompt_tokens").GetInt32() > 273);
        Assert.True(root.GetProperty("ttft_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("decode_tokens_per_second").GetDouble() > 0);
        Assert.Equal(JsonValueKind.String, root.GetProperty("text").ValueKind);
    }

    [Fact]
    public void Pixel_budget_options_change_the_vision_tokens()
    {
        var (code, stdout, stderr) = CommandLine.Run("generate", "--model", TestAssets.TinyModelFolder, "--prompt", "Describe.", "--image",
            Path.Combine(TestAssets.Images, "gradient_123x77.png"), "--max-new-tokens", "1", "--min-pixels", "3136", "--max-pixels", "12845056", "--json");

        Assert.True(code == 0, stderr);
        Assert.Equal(12, JsonDocument.Parse(stdout).RootElement.GetProperty("vision_tokens").GetInt32()); // 112×84 at the model's own budget
    }

    [Fact]
    public void Without_json_the_answer_goes_to_stdout_and_the_summary_to_stderr()
    {
        var (jsonCode, jsonOut, _) = CommandLine.Run("generate", "--model", TestAssets.TinyModelFolder, "--prompt", "Hi", "--max-new-tokens", "4", "--temperature", "0", "--json");
        var (code, stdout, stderr) = CommandLine.Run("generate", "--model", TestAssets.TinyModelFolder, "--prompt", "Hi", "--max-new-tokens", "4", "--temperature", "0");

        Assert.Equal(0, jsonCode);
        Assert.Equal(0, code);
        Assert.Equal(JsonDocument.Parse(jsonOut).RootElement.GetProperty("text").GetString() + Environment.NewLine, stdout);
        Assert.Contains("4 generated", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_backend_is_a_user_error()
    {
        var (code, _, stderr) = CommandLine.Run("generate", "--model", TestAssets.TinyModelFolder, "--prompt", "x", "--backend", "tensorflow");

        Assert.Equal(2, code);
        Assert.Contains("Unknown backend 'tensorflow'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_graphs_is_a_user_error()
    {
        var (code, _, stderr) = CommandLine.Run("generate", "--model", TestAssets.ModelFolder, "--prompt", "x");

        Assert.Equal(2, code);
        Assert.Contains("configuration files only", stderr, StringComparison.Ordinal);
    }
}
