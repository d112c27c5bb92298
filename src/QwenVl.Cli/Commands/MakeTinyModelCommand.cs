using System.CommandLine;
using QwenVl.Engine.Vision;
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
        var layout = new Option<string>("--layout") { Description = "optimum (the optimum-intel file names, as ONNX) or genai (ONNX Runtime GenAI's layout).", DefaultValueFactory = _ => "optimum" };
        var gridImage = new Option<string?>("--grid-image") { Description = "genai layout: the image whose patch grid the vision graph is built for (default: a 224×224 image)." };

        var command = new Command("make-tiny-model", "Write a Qwen2.5-VL model folder with random weights and the real tokenizer. Its answers are meaningless.")
        {
            output, preset, seed, layout, gridImage,
        };

        command.SetAction(parse => CliErrors.Guard(stderr, () =>
        {
            var chosen = ModelPreset.ByName(parse.GetValue(preset)!);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var weights = parse.GetValue(seed);
            switch (parse.GetValue(layout)!.ToLowerInvariant())
            {
                case "optimum":
                    GeneratedModelWriter.Write(folder, chosen, weights);
                    stdout.WriteLine($"Wrote the '{chosen.Name}' model (random weights, seed {weights}) to {folder}");
                    break;
                case "genai":
                    var grid = GridFor(chosen, parse.GetValue(gridImage));
                    GenAiLayoutWriter.Write(folder, chosen, weights, grid.Grid);
                    stdout.WriteLine($"Wrote the '{chosen.Name}' model in ONNX Runtime GenAI's layout (random weights, seed {weights}) to {folder}; " +
                        $"its vision graph serves {grid.Size} images (grid {grid.Grid}) only.");
                    break;
                default:
                    throw new ArgumentException($"Unknown layout '{parse.GetValue(layout)}'; use optimum or genai.");
            }

            return 0;
        }));

        return command;
    }

    /// <summary>The patch grid GenAI's vision graph is built for: that of the given image (or a 224×224 one) at the default budget.</summary>
    private static (GridThw Grid, ImageSize Size) GridFor(ModelPreset preset, string? imagePath)
    {
        var budget = new PixelBudget(3136, 12845056); // the processor_config.json the writer emits
        var original = imagePath is null ? new ImageSize(224, 224) : new ImageDecoder().DecodeFile(imagePath).Size;
        var resized = SmartResize.Compute(original.Width, original.Height, preset.PatchSize * preset.SpatialMergeSize, budget);
        return (new GridThw(1, resized.Height / preset.PatchSize, resized.Width / preset.PatchSize), resized);
    }
}
