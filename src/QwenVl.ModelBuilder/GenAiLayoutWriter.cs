using System.Text.Json;
using System.Text.Json.Nodes;
using QwenVl.Engine.Vision;

namespace QwenVl.ModelBuilder;

/// <summary>
/// Writes the same generated weights in ONNX Runtime GenAI's <c>qwen2_5_vl</c> layout (genai_config.json,
/// processor_config.json, vision/embedding/decoder graphs), so GenAI — an independent implementation of the
/// preprocessing, mRoPE positions, embedding merge and decode loop — can run the very network our engine runs.
/// GenAI's vision model receives only pixel_values and image_grid_thw, so its graph carries one grid's rotary table,
/// window index and masks as constants: a GenAI folder serves images of that grid only.
/// </summary>
public static class GenAiLayoutWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the folder; its vision graph serves images whose patch grid is <paramref name="grid"/>.</summary>
    public static void Write(string folder, ModelPreset preset, ulong seed, GridThw grid)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(preset);
        Directory.CreateDirectory(folder);
        var weights = new DeterministicWeights(seed);
        File.WriteAllBytes(Path.Combine(folder, "vision.onnx"), QwenVlGraphs.GenAiVision(preset, weights, VisionConstants.For(grid, preset)));
        File.WriteAllBytes(Path.Combine(folder, "embedding.onnx"), QwenVlGraphs.GenAiEmbedding(preset, weights, 151655));
        File.WriteAllBytes(Path.Combine(folder, "decoder.onnx"), QwenVlGraphs.Language(preset, weights, logitsToKeep: false));

        var io = new JsonObject
        {
            ["inputs_embeds"] = "inputs_embeds",
            ["attention_mask"] = "attention_mask",
            ["position_ids"] = "position_ids",
            ["past_key_names"] = "past_key_values.%d.key",
            ["past_value_names"] = "past_key_values.%d.value",
        };
        Write(folder, "genai_config.json", new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["type"] = "qwen2_5_vl",
                ["bos_token_id"] = 151643,
                ["eos_token_id"] = new JsonArray(151645, 151643),
                ["pad_token_id"] = 151643,
                ["image_token_id"] = 151655,
                ["video_token_id"] = 151656,
                ["vision_start_token_id"] = 151652,
                ["context_length"] = 4096,
                ["vocab_size"] = preset.VocabularySize,
                ["decoder"] = new JsonObject
                {
                    ["filename"] = "decoder.onnx",
                    ["head_size"] = preset.TextHeadDim,
                    ["hidden_size"] = preset.TextHidden,
                    ["num_attention_heads"] = preset.TextHeads,
                    ["num_key_value_heads"] = preset.TextKeyValueHeads,
                    ["num_hidden_layers"] = preset.TextLayers,
                    ["session_options"] = new JsonObject { ["log_id"] = "onnxruntime-genai", ["provider_options"] = new JsonArray() },
                    ["inputs"] = io,
                    ["outputs"] = new JsonObject
                    {
                        ["logits"] = "logits",
                        ["present_key_names"] = "present.%d.key",
                        ["present_value_names"] = "present.%d.value",
                    },
                },
                ["embedding"] = new JsonObject
                {
                    ["filename"] = "embedding.onnx",
                    ["inputs"] = new JsonObject { ["input_ids"] = "input_ids", ["image_features"] = "image_features" },
                    ["outputs"] = new JsonObject { ["inputs_embeds"] = "inputs_embeds" },
                },
                ["vision"] = new JsonObject
                {
                    ["filename"] = "vision.onnx",
                    ["spatial_merge_size"] = preset.SpatialMergeSize,
                    ["tokens_per_second"] = (double)preset.TokensPerSecond,
                    ["patch_size"] = preset.PatchSize,
                    ["window_size"] = preset.WindowSize,
                    ["inputs"] = new JsonObject { ["pixel_values"] = "pixel_values", ["image_grid_thw"] = "image_grid_thw" },
                    ["outputs"] = new JsonObject { ["image_features"] = "image_features" },
                },
            },
            ["search"] = new JsonObject
            {
                ["do_sample"] = false,
                ["max_length"] = 4096,
                ["min_length"] = 0,
                ["num_beams"] = 1,
                ["num_return_sequences"] = 1,
                ["past_present_share_buffer"] = false,
                ["repetition_penalty"] = 1.0,
                ["temperature"] = 1.0,
                ["top_k"] = 1,
                ["top_p"] = 1.0,
                ["early_stopping"] = true,
                ["length_penalty"] = 1.0,
                ["no_repeat_ngram_size"] = 0,
                ["diversity_penalty"] = 0.0,
            },
        });

        Write(folder, "processor_config.json", new JsonObject
        {
            ["processor"] = new JsonObject
            {
                ["name"] = "qwen2_5_image_processor",
                ["transforms"] = new JsonArray(
                    Transform("decode_image", "DecodeImage", new JsonObject { ["color_space"] = "RGB" }),
                    Transform("convert_to_rgb", "ConvertRGB", null),
                    Transform("resize", "Resize", new JsonObject
                    {
                        ["width"] = 540,
                        ["height"] = 360,
                        ["smart_resize"] = 1,
                        ["min_pixels"] = 3136,
                        ["max_pixels"] = 12845056,
                        ["patch_size"] = preset.PatchSize,
                        ["merge_size"] = preset.SpatialMergeSize,
                    }),
                    Transform("rescale", "Rescale", new JsonObject { ["rescale_factor"] = 0.00392156862745098 }),
                    Transform("normalize", "Normalize", new JsonObject
                    {
                        ["mean"] = new JsonArray(0.48145466, 0.4578275, 0.40821073),
                        ["std"] = new JsonArray(0.26862954, 0.26130258, 0.27577711),
                        ["qwen2_5_vl"] = 1,
                    }),
                    Transform("patch_image", "PatchImage", new JsonObject
                    {
                        ["patch_size"] = preset.PatchSize,
                        ["temporal_patch_size"] = preset.TemporalPatchSize,
                        ["merge_size"] = preset.SpatialMergeSize,
                    })),
            },
        });

        Write(folder, "tokenizer_config.json", new JsonObject
        {
            ["tokenizer_class"] = "Qwen2Tokenizer",
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["bos_token"] = null,
            ["eos_token"] = "<|im_end|>",
            ["pad_token"] = "<|endoftext|>",
            ["unk_token"] = null,
            ["clean_up_tokenization_spaces"] = false,
            ["errors"] = "replace",
            ["model_max_length"] = 131072,
            ["split_special_tokens"] = false,
        });

        QwenTokenizerAsset.WriteTo(folder);
    }

    private static JsonObject Transform(string name, string type, JsonObject? attrs)
    {
        var operation = new JsonObject { ["name"] = name, ["type"] = type };
        if (attrs is not null)
        {
            operation["attrs"] = attrs;
        }

        return new JsonObject { ["operation"] = operation };
    }

    private static void Write(string folder, string name, JsonObject content) =>
        File.WriteAllText(Path.Combine(folder, name), content.ToJsonString(Indented));
}
