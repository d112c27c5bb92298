using QwenVl.Engine.Chat;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime.OnnxRuntime;
using QwenVl.Engine.Runtime.OpenVino;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Tests.Runtime;

/// <summary>
/// The OpenVINO path end to end when the runtime is installed (skipped otherwise, with the reason), and its
/// "not found" path through the command line when it is not.
/// </summary>
public class OpenVinoBackendTests
{
    private static readonly Lazy<(OpenVinoRuntime? Runtime, string Message)> Installed = new(() =>
    {
        var runtime = OpenVinoRuntime.TryLoad(new OpenVinoSearchSettings(), out var message);
        return (runtime, message);
    });

    [Fact]
    public async Task The_tiny_model_gives_the_same_tokens_through_OpenVINO_as_through_ONNX_Runtime()
    {
        var (runtime, message) = Installed.Value;
        if (runtime is null)
        {
            Assert.Skip($"OpenVINO runtime not installed: {message}");
        }

        var folder = ModelFolder.Load(TestAssets.TinyModelFolder);
        using var backend = new OpenVinoBackend(runtime, "CPU");
        using var viaOpenVino = QwenVlModel.Load(folder, backend, OnnxRuntimeBackend.GraphExtension);
        using var viaOnnxRuntime = QwenVlModel.Load(folder, new OnnxRuntimeBackend(), OnnxRuntimeBackend.GraphExtension);
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestAssets.Images, "gradient_123x77.png"));
        var prompt = viaOnnxRuntime.Processor.Prepare([PromptTurn.User(PromptItem.Image, PromptItem.FromText("Describe this image."))], [image]);
        var options = new GenerationOptions { MaxNewTokens = 8, Sampling = SamplingOptions.Greedy };

        var expected = (await viaOnnxRuntime.GenerateAsync(prompt, options, TestContext.Current.CancellationToken).CollectAsync()).Final.TokenIds;
        Assert.Equal(expected, (await viaOpenVino.GenerateAsync(prompt, options, TestContext.Current.CancellationToken).CollectAsync()).Final.TokenIds);
    }

    [Fact]
    public void Without_the_runtime_doctor_reports_it_and_exits_1()
    {
        SkipIfInstalled();
        var (code, stdout, _) = CommandLine.Run("doctor", "--backend", "openvino");

        Assert.Equal(1, code);
        Assert.Contains("OpenVINO: not available", stdout, StringComparison.Ordinal);
        Assert.Contains("pip install openvino", stdout, StringComparison.Ordinal);
        Assert.Contains("NOT OK", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_runtime_generate_with_openvino_is_a_clear_user_error()
    {
        SkipIfInstalled();
        var (code, stdout, stderr) = CommandLine.Run("generate", "--model", TestAssets.TinyModelFolder, "--prompt", "x", "--backend", "openvino");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("qwenvl: OpenVINO (libopenvino_c) was not found.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_checks_a_generated_model_through_ONNX_Runtime_and_exits_0()
    {
        var (code, stdout, _) = CommandLine.Run("doctor", "--model", TestAssets.TinyModelFolder);

        Assert.True(code == 0, stdout);
        Assert.Contains("openvino_language_model.onnx: OK (explicit KV cache)", stdout, StringComparison.Ordinal);
        Assert.Contains("OK: ONNX Runtime", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_rejects_a_folder_without_graphs_with_exit_1()
    {
        var (code, stdout, _) = CommandLine.Run("doctor", "--model", TestAssets.ModelFolder, "--backend", "onnxruntime");

        Assert.Equal(1, code);
        Assert.Contains("NOT OK", stdout, StringComparison.Ordinal);
        Assert.Contains("configuration files only", stdout, StringComparison.Ordinal);
    }

    private static void SkipIfInstalled()
    {
        if (Installed.Value.Runtime is not null)
        {
            Assert.Skip("OpenVINO is installed here, so its not-found path cannot be exercised.");
        }
    }
}
