using QwenVl.Cli;
using QwenVl.Engine.Model;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Cli;

public class MakeTinyModelCommandTests
{
    [Fact]
    public void Writes_a_folder_that_inspect_can_read()
    {
        var folder = Path.Combine(TestAssets.NewTempFolder(), "tiny");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = QwenVlCommandLine.Run(["make-tiny-model", "--out", folder, "--seed", "3"], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("random weights", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(16, ModelFolder.Load(folder).Config.Text.HiddenSize);
        Assert.Equal(0, QwenVlCommandLine.Run(["inspect", "--model", folder, "--prompt", "Hi", "--image", Path.Combine(TestAssets.Images, "gradient_20x30.png")], new StringWriter(), stderr));
    }

    [Fact]
    public void The_genai_layout_names_the_grid_it_serves_and_loads_in_GenAI()
    {
        var folder = Path.Combine(TestAssets.NewTempFolder(), "genai");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = QwenVlCommandLine.Run(["make-tiny-model", "--out", folder, "--layout", "genai", "--grid-image", Path.Combine(TestAssets.Images, "gradient_123x77.png")], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("112×84 images (grid [1, 6, 8])", stdout.ToString(), StringComparison.Ordinal);
        foreach (var file in new[] { "genai_config.json", "processor_config.json", "tokenizer.json", "vision.onnx", "embedding.onnx", "decoder.onnx" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }

        using var model = new Microsoft.ML.OnnxRuntimeGenAI.Model(folder);
        Assert.NotNull(model);
    }

    [Fact]
    public void An_unknown_preset_is_a_user_error()
    {
        using var stderr = new StringWriter();

        var code = QwenVlCommandLine.Run(["make-tiny-model", "--out", TestAssets.NewTempFolder(), "--preset", "huge"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.Contains("Unknown preset 'huge'", stderr.ToString(), StringComparison.Ordinal);
    }
}
