using System.Diagnostics;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Runtime;

/// <summary>
/// The binding against a stand-in libopenvino_c (tests/native/fake_openvino_c.c, built here with cc) that implements
/// the C functions <c>qwenvl doctor</c> uses with the documented signatures, layouts and ownership. This checks the
/// native side of the contract — strings, out handles, structs, char** arrays, the variadic compile call's key/value
/// pairs, both element-type numberings, the error funnel — where no real OpenVINO can be installed. Each run is a
/// separate <c>qwenvl</c> process, because a process binds its imports to one library for good.
/// </summary>
public sealed class FakeOpenVinoTests
{
    private static readonly Lazy<(string? Folder, string Reason)> Library = new(Build);

    [Theory]
    [InlineData("2025.4.1-19807-fake")]
    [InlineData("2024.6.0-17404-fake")] // before 2025.1: the old element-type numbers must still read as float32/int64/int32
    public void Doctor_reads_versions_devices_ports_and_passes_properties(string version)
    {
        var (stdout, code, log) = Doctor(version, "--model", TestAssets.TinyModelFolder, "--backend", "openvino", "--device", "GPU.0");

        Assert.True(code == 0, stdout);
        Assert.Contains($"OpenVINO: {version[..version.IndexOf('-', StringComparison.Ordinal)]} ({version})", stdout, StringComparison.Ordinal);
        Assert.Contains("devices: CPU, GPU.0", stdout, StringComparison.Ordinal);
        Assert.Contains("openvino_language_model.onnx: OK (stateful KV cache)", stdout, StringComparison.Ordinal);
        Assert.Contains("in inputs_embeds float32 [-1, -1, 16]", stdout, StringComparison.Ordinal);
        Assert.Contains("in position_ids int64 [3, -1, -1]", stdout, StringComparison.Ordinal);
        Assert.Contains("in beam_idx int32 [-1]", stdout, StringComparison.Ordinal);
        Assert.Contains("out logits float32 [-1, -1, 151936]", stdout, StringComparison.Ordinal);

        // One compile per graph, each with both key/value pairs intact on the C side.
        var compiles = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, compiles.Length);
        Assert.All(compiles, line => Assert.Matches("^GPU\\.0 PERFORMANCE_HINT=LATENCY CACHE_DIR=.+openvino-cache$", line));
    }

    [Theory]
    [InlineData("2025.4.1-fake", false)]
    [InlineData("2024.6.0-fake", true)]
    public void Generate_moves_tensors_through_the_binding_and_decodes_at_the_right_positions(string version, bool withImage)
    {
        // The fake's language model answers 1000 + (7p + 11) mod 5000 at position p, and refuses an attention mask
        // that does not cover its cached tokens plus the new ones, or an input of the wrong element type.
        string[] image = withImage
            ? ["--image", Path.Combine(TestAssets.Images, "gradient_123x77.png"), "--min-pixels", "3136", "--max-pixels", "12845056"]
            : [];
        var (stdout, code, _) = Run(version, ["generate", "--model", TestAssets.TinyModelFolder, "--prompt", "Describe", "--backend", "openvino",
            "--max-new-tokens", "4", "--json", .. image]);

        Assert.True(code == 0, stdout);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var length = json.RootElement.GetProperty("prompt_tokens").GetInt32();

        // Text: positions 0…L−1, delta 0. With the 112×84 image (3×4 merged tokens): delta = 4 − 12 = −8.
        var delta = withImage ? -8 : 0;
        var expected = Enumerable.Range(0, 4).Select(step => 1000 + ((7 * (length - 1 + step + delta)) + 11) % 5000).ToArray();
        Assert.Equal(expected, json.RootElement.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.Equal(withImage ? 12 : 0, json.RootElement.GetProperty("vision_tokens").GetInt32());
    }

    [Fact]
    public void The_stateful_cache_is_prefilled_in_chunks_with_each_chunks_own_positions()
    {
        // An image prompt of L tokens in chunks of 5: steps of 5, 5, …, the rest, each continuing the cache, each with
        // the mRoPE ids of its own slice; then one decode step at past + rope_delta. The fake refuses a mask that does
        // not cover the cached tokens plus the new ones, and answers by the position it is given.
        var steps = Path.Combine(TestAssets.NewTempFolder(), "steps.log");
        string[] image = ["--image", Path.Combine(TestAssets.Images, "gradient_123x77.png"), "--min-pixels", "3136", "--max-pixels", "12845056"];
        var (stdout, code, _) = Run("2025.4.1-fake", ["generate", "--model", TestAssets.TinyModelFolder, "--prompt", "Describe", "--backend", "openvino",
            "--max-new-tokens", "2", "--prefill-chunk", "5", "--json", .. image], new Dictionary<string, string> { ["FAKE_OV_STEPS"] = steps });

        Assert.True(code == 0, stdout);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var length = json.RootElement.GetProperty("prompt_tokens").GetInt32();
        var model = QwenVl.Engine.Model.ModelFolder.Load(TestAssets.TinyModelFolder);
        var processor = QwenVl.Engine.Processing.QwenVlProcessor.Load(model);
        var prepared = processor.Prepare(
            [QwenVl.Engine.Chat.PromptTurn.User(QwenVl.Engine.Chat.PromptItem.Image, QwenVl.Engine.Chat.PromptItem.FromText("Describe"))],
            [new QwenVl.Engine.Vision.ImageDecoder().DecodeFile(image[1])], new QwenVl.Engine.Vision.PixelBudget(3136, 12845056));
        Assert.Equal(prepared.InputIds.Length, length);

        var expected = new List<string>();
        for (var start = 0; start < length; start += 5)
        {
            var p = prepared.Positions;
            expected.Add($"past={start} tokens={Math.Min(5, length - start)} first_position={p[0, start]},{p[1, start]},{p[2, start]}");
        }

        var decode = length + prepared.Positions.RopeDelta;
        expected.Add($"past={length} tokens=1 first_position={decode},{decode},{decode}");
        Assert.Equal(expected, File.ReadAllLines(steps));
    }

    [Fact]
    public void Each_conversation_starts_from_an_empty_stateful_cache()
    {
        // bench runs the same request three times in one process. The C API has no reset_state, so each run needs a
        // new infer request; a reused one would still hold the previous run's cache, and the fake would reject the
        // attention mask.
        var (stdout, code, _) = Run("2025.4.1-fake", ["bench", "--model", TestAssets.TinyModelFolder, "--prompt", "Hi", "--backend", "openvino",
            "--runs", "2", "--max-new-tokens", "3", "--json"]);

        Assert.True(code == 0, stdout);
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(stdout).RootElement.GetProperty("runs").GetInt32());
    }

    [Fact]
    public void A_native_failure_arrives_with_OpenVINOs_own_message()
    {
        var folder = TestAssets.CopyOfModelFolder();
        foreach (var graph in Directory.GetFiles(TestAssets.TinyModelFolder, "*.onnx"))
        {
            File.Copy(graph, Path.Combine(folder, Path.GetFileName(graph)));
        }

        File.WriteAllText(Path.Combine(folder, "openvino_vision_embeddings_merger_model.onnx"), "!corrupt");

        var (stdout, code, _) = Doctor("2025.4.1-fake", "--model", folder, "--backend", "openvino");

        Assert.Equal(1, code);
        Assert.Contains("ov_core_read_model failed with GeneralError (-1): fake: the model file is corrupt", stdout, StringComparison.Ordinal);
    }

    private static (string Stdout, int Code, string Log) Doctor(string version, params string[] args) => Run(version, ["doctor", .. args]);

    private static (string Stdout, int Code, string Log) Run(string version, string[] args, Dictionary<string, string>? environment = null)
    {
        var (folder, reason) = Library.Value;
        if (folder is null)
        {
            Assert.Skip(reason);
        }

        var log = Path.Combine(TestAssets.NewTempFolder(), "compile.log");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qwenvl.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["OPENVINO_LIB_DIR"] = folder;
        start.Environment["FAKE_OV_VERSION"] = version;
        start.Environment["FAKE_OV_LOG"] = log;
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "qwenvl doctor did not finish");
        var output = stdout.Result + (stderr.Result.Length > 0 && process.ExitCode != 0 ? stderr.Result : string.Empty);
        return (output, process.ExitCode, File.Exists(log) ? File.ReadAllText(log) : string.Empty);
    }

    private static (string? Folder, string Reason) Build()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "native", "fake_openvino_c.c");
        var folder = TestAssets.NewTempFolder();
        try
        {
            var start = new ProcessStartInfo("cc") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-shared", "-fPIC", "-O1", "-o", Path.Combine(folder, "libopenvino_c.so"), source })
            {
                start.ArgumentList.Add(arg);
            }

            using var compiler = Process.Start(start)!;
            var errors = compiler.StandardError.ReadToEnd();
            compiler.WaitForExit();
            return compiler.ExitCode == 0 ? (folder, string.Empty) : (null, $"cc could not build the fake OpenVINO library: {errors}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "No C compiler (cc) to build the fake OpenVINO library (apt-get install gcc).");
        }
    }
}
