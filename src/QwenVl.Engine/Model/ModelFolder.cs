using System.Text.Json;

namespace QwenVl.Engine.Model;

/// <summary>
/// An optimum-intel export folder (or a folder with the same configuration files): the typed configuration,
/// the chat template and where the tokenizer is. Loading reads only the small JSON files; graphs are not touched,
/// so a folder without graphs is enough for preprocessing and prompt inspection.
/// </summary>
public sealed class ModelFolder
{
    public const string ConfigFileName = "config.json";
    public const string PreprocessorConfigFileName = "preprocessor_config.json";
    public const string GenerationConfigFileName = "generation_config.json";
    public const string TokenizerFileName = "tokenizer.json";
    public const string ChatTemplateFileName = "chat_template.json";
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    private ModelFolder(string path, QwenVlConfig config, PreprocessorConfig preprocessor, GenerationConfig generation, string chatTemplate)
    {
        Path = path;
        Config = config;
        Preprocessor = preprocessor;
        Generation = generation;
        ChatTemplate = chatTemplate;
    }

    /// <summary>Full path of the folder.</summary>
    public string Path { get; }

    public QwenVlConfig Config { get; }

    public PreprocessorConfig Preprocessor { get; }

    public GenerationConfig Generation { get; }

    /// <summary>The Jinja chat template text shipped with the model.</summary>
    public string ChatTemplate { get; }

    public string TokenizerPath => System.IO.Path.Combine(Path, TokenizerFileName);

    /// <summary>Reads and validates the configuration files of <paramref name="folder"/>.</summary>
    /// <exception cref="ModelFolderException">A file is missing or malformed; the message names it.</exception>
    public static ModelFolder Load(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new ModelFolderException($"The model folder '{folder}' does not exist.");
        }

        var config = ReadConfig(full);
        var preprocessor = ReadPreprocessorConfig(full);
        var generation = ReadGenerationConfig(full);
        var template = ReadChatTemplate(full);
        if (!File.Exists(System.IO.Path.Combine(full, TokenizerFileName)))
        {
            throw new ModelFolderException($"{TokenizerFileName} is missing from the model folder '{folder}'.") { FileName = TokenizerFileName };
        }

        if (preprocessor.PatchSize != config.Vision.PatchSize || preprocessor.MergeSize != config.Vision.SpatialMergeSize
            || preprocessor.TemporalPatchSize != config.Vision.TemporalPatchSize)
        {
            throw new ModelFolderException(
                $"{PreprocessorConfigFileName} (patch {preprocessor.PatchSize}, merge {preprocessor.MergeSize}, temporal {preprocessor.TemporalPatchSize}) " +
                $"disagrees with the vision_config of {ConfigFileName} (patch {config.Vision.PatchSize}, merge {config.Vision.SpatialMergeSize}, " +
                $"temporal {config.Vision.TemporalPatchSize}).") { FileName = PreprocessorConfigFileName };
        }

        return new ModelFolder(full, config, preprocessor, generation, template);
    }

    internal static QwenVlConfig ReadConfig(string folder)
    {
        using var file = JsonConfigFile.Open(folder, ConfigFileName);
        var root = file.Root;
        var modelType = root.TryGetProperty("model_type", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : string.Empty;
        if (modelType == "qwen2_vl")
        {
            // Qwen2-VL's vision tower has no window attention and its config names widths differently
            // (embed_dim vs hidden_size); running it through the Qwen2.5-VL math would be silently wrong.
            throw file.Error("model_type is 'qwen2_vl': Qwen2-VL folders are not supported yet; use a Qwen2.5-VL export (model_type 'qwen2_5_vl').");
        }

        if (modelType != "qwen2_5_vl")
        {
            throw file.Error($"model_type is '{modelType}', but this application runs Qwen2.5-VL models (model_type 'qwen2_5_vl').");
        }

        // transformers >= 4.53 nests the language-model fields in text_config and may also keep copies at the top.
        var text = file.Object(root, "text_config");
        var vision = file.Object(root, "vision_config") ?? throw file.Error("required object 'vision_config' is missing.");

        JsonElement? ropeScaling = null;
        if (JsonConfigFile.TryFind("rope_scaling", out var rs, text, root) && rs.ValueKind == JsonValueKind.Object)
        {
            ropeScaling = rs;
        }

        if (ropeScaling is null || !ropeScaling.Value.TryGetProperty("mrope_section", out var mropeElement))
        {
            throw file.Error("required field 'rope_scaling.mrope_section' is missing.");
        }

        var textConfig = new TextConfig
        {
            HiddenSize = file.RequiredInt("hidden_size", text, root),
            NumHiddenLayers = file.RequiredInt("num_hidden_layers", text, root),
            NumAttentionHeads = file.RequiredInt("num_attention_heads", text, root),
            NumKeyValueHeads = file.RequiredInt("num_key_value_heads", text, root),
            IntermediateSize = file.RequiredInt("intermediate_size", text, root),
            VocabSize = file.RequiredInt("vocab_size", text, root),
            RopeTheta = file.RequiredDouble("rope_theta", text, root),
            RmsNormEps = file.OptionalDouble("rms_norm_eps", 1e-6, text, root),
            MaxPositionEmbeddings = file.RequiredInt("max_position_embeddings", text, root),
            TieWordEmbeddings = file.OptionalBool("tie_word_embeddings", false, root, text),
            MropeSection = file.IntList("rope_scaling.mrope_section", mropeElement),
        };
        if (textConfig.HiddenSize % textConfig.NumAttentionHeads != 0)
        {
            throw file.Error($"hidden_size {textConfig.HiddenSize} is not a multiple of num_attention_heads {textConfig.NumAttentionHeads}.");
        }

        if (textConfig.MropeSection.Count != 3 || textConfig.MropeSection.Sum() * 2 != textConfig.HeadDim)
        {
            throw file.Error($"rope_scaling.mrope_section [{string.Join(", ", textConfig.MropeSection)}] must have three parts summing to head_dim/2 = {textConfig.HeadDim / 2}.");
        }

        var visionConfig = new VisionConfig
        {
            Depth = file.RequiredInt("depth", vision),
            HiddenSize = file.RequiredInt("hidden_size", vision),
            NumHeads = file.RequiredInt("num_heads", vision),
            IntermediateSize = file.OptionalInt("intermediate_size", 0, vision),
            OutHiddenSize = file.OptionalInt("out_hidden_size", textConfig.HiddenSize, vision),
            PatchSize = JsonConfigFile.TryFind("patch_size", out _, vision) ? file.RequiredInt("patch_size", vision) : file.RequiredInt("spatial_patch_size", vision),
            TemporalPatchSize = file.OptionalInt("temporal_patch_size", 2, vision),
            SpatialMergeSize = file.OptionalInt("spatial_merge_size", 2, vision),
            WindowSize = file.OptionalInt("window_size", 112, vision),
            FullAttentionBlockIndexes = JsonConfigFile.TryFind("fullatt_block_indexes", out var full, vision) ? file.IntList("fullatt_block_indexes", full) : [],
            TokensPerSecond = JsonConfigFile.TryFind("tokens_per_second", out _, vision)
                ? file.RequiredDouble("tokens_per_second", vision)
                : throw file.Error("vision_config.tokens_per_second is missing (real Qwen2.5-VL checkpoints say 2)."),
            InChannels = JsonConfigFile.TryFind("in_channels", out _, vision) ? file.RequiredInt("in_channels", vision) : file.OptionalInt("in_chans", 3, vision),
        };
        if (visionConfig.HiddenSize % visionConfig.NumHeads != 0 || visionConfig.HeadDim % 4 != 0)
        {
            throw file.Error($"vision hidden_size {visionConfig.HiddenSize} / num_heads {visionConfig.NumHeads} must give a head size divisible by 4.");
        }

        if (visionConfig.WindowSize % (visionConfig.SpatialMergeSize * visionConfig.PatchSize) != 0)
        {
            throw file.Error($"vision window_size {visionConfig.WindowSize} must be a multiple of patch_size × spatial_merge_size.");
        }

        var tokens = new SpecialTokenIds
        {
            ImageTokenId = file.RequiredInt("image_token_id", root, text),
            VideoTokenId = file.RequiredInt("video_token_id", root, text),
            VisionStartTokenId = file.RequiredInt("vision_start_token_id", root, text),
            VisionEndTokenId = file.RequiredInt("vision_end_token_id", root, text),
        };

        return new QwenVlConfig { ModelType = modelType, Text = textConfig, Vision = visionConfig, Tokens = tokens };
    }

    internal static PreprocessorConfig ReadPreprocessorConfig(string folder)
    {
        using var file = JsonConfigFile.Open(folder, PreprocessorConfigFileName);
        var root = file.Root;

        // Older files say min_pixels/max_pixels; newer transformers write size.shortest_edge/longest_edge (same meaning).
        var size = file.Object(root, "size");
        var min = JsonConfigFile.TryFind("min_pixels", out _, root) ? file.RequiredLong("min_pixels", root) : file.RequiredLong("shortest_edge", size);
        var max = JsonConfigFile.TryFind("max_pixels", out _, root) ? file.RequiredLong("max_pixels", root) : file.RequiredLong("longest_edge", size);
        if (min <= 0 || max < min)
        {
            throw file.Error($"the pixel budget min_pixels {min} … max_pixels {max} is not a valid range.");
        }

        var config = new PreprocessorConfig
        {
            MinPixels = min,
            MaxPixels = max,
            PatchSize = file.RequiredInt("patch_size", root),
            TemporalPatchSize = file.OptionalInt("temporal_patch_size", 2, root),
            MergeSize = file.OptionalInt("merge_size", 2, root),
            ImageMean = file.FloatList("image_mean", 3, root),
            ImageStd = file.FloatList("image_std", 3, root),
            RescaleFactor = file.OptionalDouble("rescale_factor", 1.0 / 255.0, root),
        };
        if (config.ImageStd.Any(s => s <= 0))
        {
            throw file.Error("image_std values must be positive.");
        }

        return config;
    }

    internal static GenerationConfig ReadGenerationConfig(string folder)
    {
        // HF loads defaults when the file is absent; so do we.
        using var file = JsonConfigFile.OpenOptional(folder, GenerationConfigFileName);
        if (file is null)
        {
            return new GenerationConfig();
        }

        var root = file.Root;
        var defaults = new GenerationConfig();
        return new GenerationConfig
        {
            EosTokenIds = JsonConfigFile.TryFind("eos_token_id", out var eos, root) ? file.IntList("eos_token_id", eos) : [],
            BosTokenId = file.OptionalNullableInt("bos_token_id", root),
            PadTokenId = file.OptionalNullableInt("pad_token_id", root),
            DoSample = file.OptionalBool("do_sample", defaults.DoSample, root),
            Temperature = file.OptionalDouble("temperature", defaults.Temperature, root),
            TopP = file.OptionalDouble("top_p", defaults.TopP, root),
            TopK = file.OptionalInt("top_k", defaults.TopK, root),
            RepetitionPenalty = file.OptionalDouble("repetition_penalty", defaults.RepetitionPenalty, root),
            MaxNewTokens = file.OptionalNullableInt("max_new_tokens", root),
        };
    }

    internal static string ReadChatTemplate(string folder)
    {
        using (var file = JsonConfigFile.OpenOptional(folder, ChatTemplateFileName))
        {
            if (file is not null)
            {
                return file.Root.TryGetProperty("chat_template", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()!
                    : throw file.Error("'chat_template' must be a string.");
            }
        }

        using (var file = JsonConfigFile.OpenOptional(folder, TokenizerConfigFileName))
        {
            if (file is not null && file.Root.TryGetProperty("chat_template", out var t))
            {
                if (t.ValueKind == JsonValueKind.String)
                {
                    return t.GetString()!;
                }

                // The list form: [{"name": "default", "template": "..."}, ...].
                if (t.ValueKind == JsonValueKind.Array)
                {
                    foreach (var entry in t.EnumerateArray())
                    {
                        if (entry.ValueKind == JsonValueKind.Object
                            && entry.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() == "default"
                            && entry.TryGetProperty("template", out var text) && text.ValueKind == JsonValueKind.String)
                        {
                            return text.GetString()!;
                        }
                    }
                }

                throw file.Error("'chat_template' must be a string or a list holding a template named 'default'.");
            }
        }

        throw new ModelFolderException(
            $"The model folder '{folder}' has no chat template: expected {ChatTemplateFileName}, or a 'chat_template' field in {TokenizerConfigFileName}.")
        { FileName = ChatTemplateFileName };
    }
}
