using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QwenVl.Engine.Chat;
using QwenVl.Engine.Model;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Tests.TestSupport;
using QwenVl.Engine.Vision;
using QwenVl.ModelBuilder;

namespace QwenVl.Engine.Tests.ModelBuilder;

/// <summary>
/// The generated tiny model runs in ONNX Runtime on inputs from our own host pipeline, and behaves like the real
/// architecture: the image and the positions move the logits, window attention is active, and decoding one token
/// against the KV cache gives what re-running the whole prompt gives.
/// </summary>
public sealed class GeneratedModelTests : IClassFixture<GeneratedModelTests.TinyModel>
{
    private readonly TinyModel _model;

    public GeneratedModelTests(TinyModel model) => _model = model;

    [Fact]
    public void The_folder_loads_as_a_Qwen25VL_model_with_the_export_file_names()
    {
        var folder = ModelFolder.Load(_model.Path);

        Assert.Equal((16, 2, 1, 2), (folder.Config.Text.HiddenSize, folder.Config.Text.NumAttentionHeads, folder.Config.Text.NumKeyValueHeads, folder.Config.Text.NumHiddenLayers));
        Assert.Equal(151_936, folder.Config.Text.VocabSize);
        foreach (var file in new[] { GeneratedModelWriter.VisionEmbeddingsFile, GeneratedModelWriter.VisionMergerFile, GeneratedModelWriter.TextEmbeddingsFile, GeneratedModelWriter.LanguageModelFile, GeneratedModelWriter.MarkerFileName })
        {
            Assert.True(File.Exists(Path.Combine(_model.Path, file)), file);
        }
    }

    [Fact]
    public void Graphs_have_the_optimum_intel_input_and_output_names()
    {
        Assert.Equal(new[] { "hidden_states" }, _model.VisionEmbeddings.InputMetadata.Keys);
        Assert.Equal(new[] { "hidden_states", "attention_mask", "window_attention_mask", "window_index", "rotary_pos_emb" }, _model.Merger.InputMetadata.Keys);
        Assert.Equal(new[] { "input" }, _model.TextEmbeddings.InputMetadata.Keys);
        Assert.Equal(new[] { "attention_mask", "position_ids", "inputs_embeds", "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value", "num_logits_to_keep" }, _model.Language.InputMetadata.Keys);
        Assert.Equal(new[] { "present.0.key", "present.0.value", "present.1.key", "present.1.value", "logits" }, _model.Language.OutputMetadata.Keys);
    }

    [Fact]
    public void The_same_seed_writes_the_same_graphs_and_another_seed_different_ones()
    {
        var again = TestAssets.NewTempFolder();
        var other = TestAssets.NewTempFolder();
        GeneratedModelWriter.Write(again, ModelPreset.Tiny, seed: 7);
        GeneratedModelWriter.Write(other, ModelPreset.Tiny, seed: 8);

        var original = File.ReadAllBytes(Path.Combine(_model.Path, GeneratedModelWriter.VisionMergerFile));
        Assert.Equal(original, File.ReadAllBytes(Path.Combine(again, GeneratedModelWriter.VisionMergerFile)));
        Assert.NotEqual(original, File.ReadAllBytes(Path.Combine(other, GeneratedModelWriter.VisionMergerFile)));
    }

    [Fact]
    public void A_different_image_changes_the_logits()
    {
        var a = _model.PrefillLastLogits(Image("gradient_123x77.png"));
        var b = _model.PrefillLastLogits(Image("alpha_90x61.png"));

        Assert.All(a, v => Assert.True(float.IsFinite(v)));
        Assert.True(MaxDifference(a, b) > 0.1f, $"max difference {MaxDifference(a, b)}");
    }

    [Fact]
    public void The_3d_positions_change_the_logits()
    {
        var image = Image("gradient_123x77.png");
        var prepared = _model.Prepare(image);
        var mrope = _model.RunPrefill(prepared, prepared.Positions.PositionIds);

        // The same prompt with text-style positions (0…L−1 on all three axes) must give other logits.
        var length = prepared.InputIds.Length;
        var flat = Enumerable.Range(0, 3).SelectMany(_ => Enumerable.Range(0, length).Select(i => (long)i)).ToArray();
        var textLike = _model.RunPrefill(prepared, flat);

        Assert.True(MaxDifference(mrope, textLike) > 0.01f, $"max difference {MaxDifference(mrope, textLike)}");
    }

    [Fact]
    public void Window_attention_is_active_for_images_with_several_windows()
    {
        // 112×84 → 6×8 patches → 3×4 merged tokens; windows of 56 px are 2×2 tokens: 4 windows.
        var prepared = _model.Prepare(Image("gradient_123x77.png"));
        var vision = prepared.ImageVision!;
        Assert.True(vision.Windows.CuWindowSeqlens.Length > 2);

        var windowed = _model.EncodeImage(prepared, VisionAttentionMask.Create(vision.Windows.CuWindowSeqlens));
        var allFull = _model.EncodeImage(prepared, VisionAttentionMask.Create(vision.FrameBoundaries));

        Assert.True(MaxDifference(windowed, allFull) > 1e-3f);
    }

    [Fact]
    public void Decoding_against_the_cache_equals_rerunning_the_whole_prompt()
    {
        var prepared = _model.Prepare(Image("gradient_123x77.png"));
        var length = prepared.InputIds.Length;
        var full = _model.RunPrefill(prepared, prepared.Positions.PositionIds);

        // Prefill all but the last token, then feed it alone at position past + rope_delta... which for the prompt's
        // final text token is exactly its mRoPE position, on all three axes.
        var (_, cache) = _model.RunLanguage(prepared, 0, length - 1, prepared.Positions.PositionIds, past: null);
        var last = prepared.Positions.PositionIds;
        var decodePositions = new[] { last[length - 1], last[length + length - 1], last[(2 * length) + length - 1] };
        Assert.Equal(length - 1 + prepared.Positions.RopeDelta, decodePositions[0]);
        var (stepLogits, _) = _model.RunLanguage(prepared, length - 1, 1, decodePositions, cache);

        Assert.True(MaxDifference(full, stepLogits) < 1e-4f, $"max difference {MaxDifference(full, stepLogits)}");
    }

    private static RgbImage Image(string file) => new ImageDecoder().DecodeFile(Path.Combine(TestAssets.Images, file));

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    /// <summary>The tiny model written once for this class, with ONNX Runtime sessions over its four graphs.</summary>
    public sealed class TinyModel : IDisposable
    {
        public TinyModel()
        {
            Path = TestAssets.TinyModelFolder;
            Folder = ModelFolder.Load(Path);
            Processor = QwenVlProcessor.Load(Folder);
            VisionEmbeddings = new InferenceSession(System.IO.Path.Combine(Path, GeneratedModelWriter.VisionEmbeddingsFile));
            Merger = new InferenceSession(System.IO.Path.Combine(Path, GeneratedModelWriter.VisionMergerFile));
            TextEmbeddings = new InferenceSession(System.IO.Path.Combine(Path, GeneratedModelWriter.TextEmbeddingsFile));
            Language = new InferenceSession(System.IO.Path.Combine(Path, GeneratedModelWriter.LanguageModelFile));
        }

        public string Path { get; }

        public ModelFolder Folder { get; }

        public QwenVlProcessor Processor { get; }

        public InferenceSession VisionEmbeddings { get; }

        public InferenceSession Merger { get; }

        public InferenceSession TextEmbeddings { get; }

        public InferenceSession Language { get; }

        public PreparedPrompt Prepare(RgbImage image) =>
            Processor.Prepare([PromptTurn.User(PromptItem.Image, PromptItem.FromText("Describe this image."))], [image]);

        public float[] PrefillLastLogits(RgbImage image)
        {
            var prepared = Prepare(image);
            return RunPrefill(prepared, prepared.Positions.PositionIds);
        }

        /// <summary>Logits of the last of <paramref name="ids"/> (the prompt's ids plus generated ones), from scratch.</summary>
        public float[] RunLanguageOn(PreparedPrompt prepared, int[] ids, long[] positionIds) =>
            RunLanguage(prepared, 0, ids.Length, positionIds, past: null, ids).LastLogits;

        public float[] RunPrefill(PreparedPrompt prepared, long[] positionIds) =>
            RunLanguage(prepared, 0, prepared.InputIds.Length, positionIds, past: null).LastLogits;

        /// <summary>Vision tower on the prompt's images, with the given mask for the windowed blocks.</summary>
        public float[] EncodeImage(PreparedPrompt prepared, float[] windowMask)
        {
            var vision = prepared.ImageVision!;
            var n = vision.PatchCount;
            var patches = Run(VisionEmbeddings, ("hidden_states", new DenseTensor<float>(prepared.ConcatenatedPixelValues(), [n, 1176])))[0];
            return Run(Merger,
                ("hidden_states", new DenseTensor<float>(patches, [n, 32])),
                ("attention_mask", new DenseTensor<float>(VisionAttentionMask.Create(vision.FrameBoundaries), [1, n, n])),
                ("window_attention_mask", new DenseTensor<float>(windowMask, [1, n, n])),
                ("window_index", new DenseTensor<long>(vision.Windows.WindowIndex, [n / 4])),
                ("rotary_pos_emb", new DenseTensor<float>(vision.RotaryPosEmb, [n, vision.RotaryColumns])))[0];
        }

        /// <summary>
        /// Runs the language model on tokens [start, start+count) of the prompt (embeddings with image rows merged in),
        /// with <paramref name="positions"/> either the whole prompt's [3, L] or exactly [3, count].
        /// </summary>
        public (float[] LastLogits, float[][] Cache) RunLanguage(PreparedPrompt prepared, int start, int count, long[] positions, float[][]? past, int[]? tokenIds = null)
        {
            const int hidden = 16, vocab = 151_936;
            var allIds = tokenIds ?? prepared.InputIds;
            var length = allIds.Length;
            var ids = allIds.Select(i => (long)i).ToArray();
            var embeds = Run(TextEmbeddings, ("input", new DenseTensor<long>(ids, [1, length])))[0];
            var vision = prepared.ImageVision!;
            var features = EncodeImage(prepared, VisionAttentionMask.Create(vision.Windows.CuWindowSeqlens));
            for (int i = 0, row = 0; i < length; i++)
            {
                if (allIds[i] == 151655)
                {
                    Array.Copy(features, row++ * hidden, embeds, i * hidden, hidden);
                }
            }

            var slice = embeds.AsSpan(start * hidden, count * hidden).ToArray();
            var pos = new long[3 * count];
            for (var axis = 0; axis < 3; axis++)
            {
                for (var i = 0; i < count; i++)
                {
                    pos[(axis * count) + i] = positions.Length == 3 * count ? positions[(axis * count) + i] : positions[(axis * length) + start + i];
                }
            }

            var pastLength = start;
            var inputs = new List<(string, Tensor<float>?, Tensor<long>?)>
            {
                ("attention_mask", null, new DenseTensor<long>(Enumerable.Repeat(1L, pastLength + count).ToArray(), [1, pastLength + count])),
                ("position_ids", null, new DenseTensor<long>(pos, [3, 1, count])),
                ("inputs_embeds", new DenseTensor<float>(slice, [1, count, hidden]), null),

                // 0 keeps every position's logits (HF's default): the reference never relies on the engine's last-row-only path.
                ("num_logits_to_keep", null, new DenseTensor<long>(new long[] { 0 }, ReadOnlySpan<int>.Empty)),
            };
            for (var layer = 0; layer < 2; layer++)
            {
                inputs.Add(($"past_key_values.{layer}.key", new DenseTensor<float>(past?[2 * layer] ?? [], [1, 1, pastLength, 8]), null));
                inputs.Add(($"past_key_values.{layer}.value", new DenseTensor<float>(past?[(2 * layer) + 1] ?? [], [1, 1, pastLength, 8]), null));
            }

            using var results = Language.Run(inputs.Select(i => i.Item2 is not null ? NamedOnnxValue.CreateFromTensor(i.Item1, i.Item2) : NamedOnnxValue.CreateFromTensor(i.Item1, i.Item3!)).ToArray());
            var byName = results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
            var logits = byName["logits"];
            var cache = Enumerable.Range(0, 2).SelectMany(l => new[] { byName[$"present.{l}.key"], byName[$"present.{l}.value"] }).ToArray();
            return (logits[((count - 1) * vocab)..(count * vocab)], cache);
        }

        public void Dispose()
        {
            VisionEmbeddings.Dispose();
            Merger.Dispose();
            TextEmbeddings.Dispose();
            Language.Dispose();
        }

        private static float[][] Run<T>(InferenceSession session, params (string Name, DenseTensor<T> Tensor)[] inputs)
        {
            using var results = session.Run(inputs.Select(i => NamedOnnxValue.CreateFromTensor(i.Name, i.Tensor)).ToArray());
            return results.Select(r => r.AsTensor<float>().ToArray()).ToArray();
        }

        private static float[][] Run(InferenceSession session, params (string Name, object Tensor)[] inputs)
        {
            var values = inputs.Select(i => i.Tensor switch
            {
                DenseTensor<float> f => NamedOnnxValue.CreateFromTensor(i.Name, f),
                DenseTensor<long> l => NamedOnnxValue.CreateFromTensor(i.Name, l),
                _ => throw new ArgumentException("Unsupported tensor type."),
            }).ToArray();
            using var results = session.Run(values);
            return results.Select(r => r.AsTensor<float>().ToArray()).ToArray();
        }
    }
}
