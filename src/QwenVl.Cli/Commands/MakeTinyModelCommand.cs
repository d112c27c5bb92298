using System.CommandLine;
using QwenVl.ModelBuilder;

namespace QwenVl.Cli.Commands;

/// <summary><c>qwenvl make-tiny-model</c>: writes a deterministic Qwen2.5-VL with random weights (for tests, demos and benchmarks).</summary>
internal static class MakeTinyModelCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string>("--out") { Description = "Folder to write the model into (created if missing).", Required = true };
        var preset = new Option<string>("--preset") { Description = "tiny (a few MB, for tests) or small (a few hundred MB, for benchmarks).", DefaultValueFactory = _ => "tiny" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the generated weights.", DefaultValueFactory = _ => 1UL };

        var command = new Command("make-tiny-model", "Write a Qwen2.5-VL model folder with random weights and the real tokenizer: the export's four graphs as ONNX, plus its configuration files. Its answers are meaningless.")
        {
            output, preset, seed,
        };

        command.SetAction(parse => CliErrors.Guard(stderr, () =>
        {
            var chosen = ModelPreset.ByName(parse.GetValue(preset)!);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            GeneratedModelWriter.Write(folder, chosen, parse.GetValue(seed));
            stdout.WriteLine($"Wrote the '{chosen.Name}' model (random weights, seed {parse.GetValue(seed)}) to {folder}");
            return 0;
        }));

        return command;
    }
}
