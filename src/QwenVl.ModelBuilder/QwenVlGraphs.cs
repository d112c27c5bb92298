using Onnx;

namespace QwenVl.ModelBuilder;

/// <summary>
/// The four graphs of an optimum-intel Qwen2.5-VL export, as ONNX with the export's file stems and input/output
/// names, computing what the real modules compute (modeling_qwen2_5_vl.py) with generated weights. The language
/// model takes explicit <c>past_key_values.{i}.key/value</c> and returns <c>present.{i}.key/value</c>, because ONNX
/// has no state (the OpenVINO export keeps them inside the model instead).
/// </summary>
internal static class QwenVlGraphs
{
    private const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;
    private const TensorProto.Types.DataType I64 = TensorProto.Types.DataType.Int64;

    /// <summary><c>openvino_vision_embeddings_model</c>: the Conv3d patch embedding as a [1176, C] projection.</summary>
    public static byte[] VisionEmbeddings(ModelPreset p, DeterministicWeights w)
    {
        var g = new OnnxGraph("vision_embeddings");
        var x = g.Input("hidden_states", F32, "patch_thw_grid", "patch_temporal_channels");
        var weight = g.Weight("patch_embed.proj", w.Linear("visual.patch_embed.proj", p.PatchDim, p.VisionHidden), p.PatchDim, p.VisionHidden);
        g.Output(g.MatMul(x, weight), "last_hidden_state", F32, "patch_thw_grid", p.VisionHidden);
        return g.ToModelBytes();
    }

    /// <summary>
    /// <c>openvino_vision_embeddings_merger_model</c>: window reorder, the ViT blocks (windowed attention except in
    /// the full-attention blocks), the 2×2 patch merger, and the inverse reorder back to natural token order.
    /// </summary>
    public static byte[] VisionMerger(ModelPreset p, DeterministicWeights w)
    {
        var g = new OnnxGraph("vision_embeddings_merger");
        int c = p.VisionHidden, hd = p.VisionHeadDim;
        var hidden = g.Input("hidden_states", F32, "patches", c);
        var fullMask = g.Input("attention_mask", F32, 1, "patches", "patches");
        var windowMask = g.Input("window_attention_mask", F32, 1, "patches", "patches");
        var windowIndex = g.Input("window_index", I64, "tokens");
        var rotary = g.Input("rotary_pos_emb", F32, "patches", hd / 2);
        g.Output(MergerBody(g, p, w, hidden, fullMask, windowMask, windowIndex, rotary), "last_hidden_state", F32, "tokens", p.TextHidden);
        return g.ToModelBytes();
    }

    /// <summary>
    /// ONNX Runtime GenAI's vision model for one image grid: <c>pixel_values</c> (and <c>image_grid_thw</c>, which
    /// GenAI feeds) to <c>image_features</c>. GenAI gives the vision model nothing but those two, so the grid's
    /// rotary table, window index and masks are baked in as constants: the graph serves that grid only.
    /// </summary>
    public static byte[] GenAiVision(ModelPreset p, DeterministicWeights w, VisionConstants grid)
    {
        var g = new OnnxGraph("genai_vision");
        int hd = p.VisionHeadDim, n = grid.Patches;
        var pixels = g.Input("pixel_values", F32, n, p.PatchDim);
        g.Input("image_grid_thw", I64, 1, 3);
        var weight = g.Weight("patch_embed.proj", w.Linear("visual.patch_embed.proj", p.PatchDim, p.VisionHidden), p.PatchDim, p.VisionHidden);
        var hidden = g.MatMul(pixels, weight);
        var fullMask = g.Weight("grid.attention_mask", grid.AttentionMask, 1, n, n);
        var windowMask = g.Weight("grid.window_attention_mask", grid.WindowAttentionMask, 1, n, n);
        var windowIndex = g.Int64s(grid.WindowIndex);
        var rotary = g.Weight("grid.rotary_pos_emb", grid.RotaryPosEmb, n, hd / 2);
        g.Output(MergerBody(g, p, w, hidden, fullMask, windowMask, windowIndex, rotary), "image_features", F32, n / 4, p.TextHidden);
        return g.ToModelBytes();
    }

    /// <summary>
    /// ONNX Runtime GenAI's embedding model: embed_tokens, then each <c>&lt;|image_pad|&gt;</c> row replaced, in order,
    /// by the next <c>image_features</c> row (GenAI hands the merge to this graph).
    /// </summary>
    public static byte[] GenAiEmbedding(ModelPreset p, DeterministicWeights w, int imageTokenId)
    {
        var g = new OnnxGraph("genai_embedding");
        var ids = g.Input("input_ids", I64, "batch_size", "sequence_length");
        var features = g.Input("image_features", F32, "num_image_tokens", p.TextHidden);
        var table = g.Weight("embed_tokens", EmbeddingTable(p, w), p.VocabularySize, p.TextHidden);
        var text = g.Gather(table, ids, 0);

        // Row k of the features goes to the k-th pad token; other tokens point at an extra zero row and are not used.
        var isImage = g.Op("Equal", [ids, g.Int64Scalar(imageTokenId)]);
        var order = g.Sub(g.Op("CumSum", [g.Cast(isImage, I64), g.Int64Scalar(1)]), g.Int64Scalar(1));
        var withZero = g.Concat(0, features, g.Mul(g.Slice(table, 0, 1, 0), g.FloatScalar(0f)));
        var count = g.Dim(features, 0);
        var index = g.Op("Where", [isImage, order, count]);
        var image = g.Gather(withZero, index, 0);
        g.Output(g.Op("Where", [g.Unsqueeze(isImage, -1), image, text]), "inputs_embeds", F32, "batch_size", "sequence_length", p.TextHidden);
        return g.ToModelBytes();
    }

    /// <summary>Window reorder, ViT blocks, 2×2 merger and the inverse reorder, on the given values.</summary>
    private static string MergerBody(OnnxGraph g, ModelPreset p, DeterministicWeights w, string hidden, string fullMask, string windowMask, string windowIndex, string rotary)
    {
        int c = p.VisionHidden, hd = p.VisionHeadDim, heads = p.VisionHeads, unit = p.SpatialMergeSize * p.SpatialMergeSize;

        // Gather merged-token groups into window order.
        var h = g.Reshape(g.Gather(g.Reshape(hidden, -1, unit, c), windowIndex, 0), -1, c);
        var rope = g.Reshape(g.Gather(g.Reshape(rotary, -1, unit, hd / 2), windowIndex, 0), -1, hd / 2);
        var emb = g.Concat(-1, rope, rope);
        var cos = g.Op("Cos", [emb]);
        var sin = g.Op("Sin", [emb]);
        var scale = g.FloatScalar(1f / MathF.Sqrt(hd));

        for (var b = 0; b < p.VisionDepth; b++)
        {
            var prefix = $"visual.blocks.{b}";
            var mask = p.FullAttentionBlocks.Contains(b) ? fullMask : windowMask;
            var n1 = g.RmsNorm(h, g.Weight($"{prefix}.norm1", w.Norm($"{prefix}.norm1", c), c), 1e-6f);
            var qkv = g.Linear(n1, g.Weight($"{prefix}.attn.qkv.w", w.Linear($"{prefix}.attn.qkv.w", c, 3 * c, 2f), c, 3 * c), g.Weight($"{prefix}.attn.qkv.b", w.Uniform($"{prefix}.attn.qkv.b", 3 * c, 0.1f), 3 * c));
            var split = g.Transpose(g.Reshape(qkv, -1, 3, heads, hd), 1, 2, 0, 3);
            var parts = g.Ops("Split", [split, g.Int64s(1, 1, 1)], 3, ("axis", 0L));
            var q = Rotary(g, g.Squeeze(parts[0], 0), cos, sin, hd);
            var k = Rotary(g, g.Squeeze(parts[1], 0), cos, sin, hd);
            var v = g.Squeeze(parts[2], 0);
            var scores = g.Add(g.Mul(g.MatMul(q, g.Transpose(k, 0, 2, 1)), scale), mask);
            var attention = g.Reshape(g.Transpose(g.MatMul(g.Softmax(scores), v), 1, 0, 2), -1, c);
            var projected = g.Linear(attention, g.Weight($"{prefix}.attn.proj.w", w.Linear($"{prefix}.attn.proj.w", c, c), c, c), g.Weight($"{prefix}.attn.proj.b", w.Uniform($"{prefix}.attn.proj.b", c, 0.1f), c));
            h = g.Add(h, projected);

            var n2 = g.RmsNorm(h, g.Weight($"{prefix}.norm2", w.Norm($"{prefix}.norm2", c), c), 1e-6f);
            h = g.Add(h, SwiGlu(g, w, $"{prefix}.mlp", n2, c, p.VisionIntermediate, withBias: true));
        }

        // PatchMerger: ln_q, view(-1, 4C), Linear(4C, 4C), GELU, Linear(4C, out).
        var merged = g.Reshape(g.RmsNorm(h, g.Weight("visual.merger.ln_q", w.Norm("visual.merger.ln_q", c), c), 1e-6f), -1, unit * c);
        var m1 = g.Linear(merged, g.Weight("visual.merger.mlp.0.w", w.Linear("visual.merger.mlp.0.w", unit * c, unit * c), unit * c, unit * c), g.Weight("visual.merger.mlp.0.b", w.Uniform("visual.merger.mlp.0.b", unit * c, 0.1f), unit * c));
        var m2 = g.Linear(g.Gelu(m1), g.Weight("visual.merger.mlp.2.w", w.Linear("visual.merger.mlp.2.w", unit * c, p.TextHidden, 2f), unit * c, p.TextHidden), g.Weight("visual.merger.mlp.2.b", w.Uniform("visual.merger.mlp.2.b", p.TextHidden, 0.1f), p.TextHidden));

        // Back to natural order: out[window_index[i]] = y[i] (HF indexes with argsort(window_index)).
        return g.Op("ScatterND", [g.Mul(m2, g.FloatScalar(0f)), g.Unsqueeze(windowIndex, -1), m2]);
    }

    /// <summary><c>openvino_text_embeddings_model</c>: embed_tokens (input named <c>input</c>, as the export renames it).</summary>
    public static byte[] TextEmbeddings(ModelPreset p, DeterministicWeights w)
    {
        var g = new OnnxGraph("text_embeddings");
        var ids = g.Input("input", I64, "batch_size", "sequence_length");
        var table = g.Weight("embed_tokens", EmbeddingTable(p, w), p.VocabularySize, p.TextHidden);
        g.Output(g.Gather(table, ids, 0), "inputs_embeds", F32, "batch_size", "sequence_length", p.TextHidden);
        return g.ToModelBytes();
    }

    /// <summary>
    /// <c>openvino_language_model</c>: the Qwen2.5 decoder (RMSNorm, GQA with q/k/v bias, mRoPE from 3-D positions,
    /// SwiGLU) and the tied lm_head, with the KV cache as explicit inputs and outputs. With
    /// <paramref name="logitsToKeep"/> the graph takes <c>num_logits_to_keep</c> (int64 scalar, as optimum's and
    /// transformers.js' ONNX exports do; HF's <c>logits_to_keep</c>): the lm_head runs on the last K positions only,
    /// and 0 keeps them all. ONNX Runtime GenAI does not feed that input, so its decoder is written without it.
    /// </summary>
    public static byte[] Language(ModelPreset p, DeterministicWeights w, bool logitsToKeep = true)
    {
        var g = new OnnxGraph("language_model");
        int hidden = p.TextHidden, heads = p.TextHeads, kvHeads = p.TextKeyValueHeads, hd = p.TextHeadDim, groups = heads / kvHeads;
        var attentionMask = g.Input("attention_mask", I64, "batch_size", "total_sequence_length");
        var positionIds = g.Input("position_ids", I64, 3, "batch_size", "sequence_length");
        var x = g.Input("inputs_embeds", F32, "batch_size", "sequence_length", hidden);

        // mRoPE: frequencies per axis, then each frequency j takes its axis from mrope_section (t, h, w bands).
        var invFreq = Enumerable.Range(0, hd / 2).Select(j => (float)(1.0 / Math.Pow(p.RopeTheta, 2.0 * j / hd))).ToArray();
        var freqs = g.Mul(g.Unsqueeze(g.Cast(positionIds, F32), -1), g.Weight("rotary.inv_freq", invFreq, hd / 2));
        var selector = new float[3 * (hd / 2)];
        for (int j = 0, bound = 0, axis = 0; j < hd / 2; j++)
        {
            while (j >= bound + p.MropeSection[axis])
            {
                bound += p.MropeSection[axis++];
            }

            selector[(axis * (hd / 2)) + j] = 1f;
        }

        var selected = g.Op("ReduceSum", [g.Mul(freqs, g.Weight("rotary.mrope_selector", selector, 3, 1, 1, hd / 2)), g.Int64s(0)], ("keepdims", 0L));
        var emb = g.Concat(-1, selected, selected);
        var cos = g.Unsqueeze(g.Op("Cos", [emb]), 1);
        var sin = g.Unsqueeze(g.Op("Sin", [emb]), 1);

        // Causal mask with the past: query i (absolute position past + i) sees key j ≤ past + i, and only unpadded keys.
        var total = g.Dim(attentionMask, 1);
        var sequence = g.Dim(x, 1);
        var one = g.Int64Scalar(1);
        var keys = g.Op("Range", [g.Int64Scalar(0), total, one]);
        var queries = g.Op("Range", [g.Sub(total, sequence), total, one]);
        var causal = g.Op("LessOrEqual", [g.Unsqueeze(keys, 0), g.Unsqueeze(queries, 1)]);
        var unpadded = g.Unsqueeze(g.Cast(attentionMask, TensorProto.Types.DataType.Bool), 1, 2);
        var bias = g.Op("Where", [g.Op("And", [causal, unpadded]), g.FloatScalar(0f), g.FloatScalar(float.NegativeInfinity)]);
        var scale = g.FloatScalar(1f / MathF.Sqrt(hd));

        for (var layer = 0; layer < p.TextLayers; layer++)
        {
            var prefix = $"model.layers.{layer}";
            var pastKey = g.Input($"past_key_values.{layer}.key", F32, "batch_size", kvHeads, "past_sequence_length", hd);
            var pastValue = g.Input($"past_key_values.{layer}.value", F32, "batch_size", kvHeads, "past_sequence_length", hd);
            var n = g.RmsNorm(x, g.Weight($"{prefix}.input_layernorm", w.Norm($"{prefix}.input_layernorm", hidden), hidden), p.RmsNormEps);

            string Project(string name, int outputs, float gain) => g.Linear(n,
                g.Weight($"{prefix}.self_attn.{name}.w", w.Linear($"{prefix}.self_attn.{name}.w", hidden, outputs, gain), hidden, outputs),
                g.Weight($"{prefix}.self_attn.{name}.b", w.Uniform($"{prefix}.self_attn.{name}.b", outputs, 0.5f), outputs));

            string Heads(string t, int count) => g.Transpose(g.Reshape(t, 0, 0, count, hd), 0, 2, 1, 3);

            var q = Rotary(g, Heads(Project("q_proj", heads * hd, 3f), heads), cos, sin, hd);
            var k = Rotary(g, Heads(Project("k_proj", kvHeads * hd, 3f), kvHeads), cos, sin, hd);
            var v = Heads(Project("v_proj", kvHeads * hd, 1f), kvHeads);
            var presentKey = g.Concat(2, pastKey, k);
            var presentValue = g.Concat(2, pastValue, v);
            g.Output(presentKey, $"present.{layer}.key", F32, "batch_size", kvHeads, "total_sequence_length", hd);
            g.Output(presentValue, $"present.{layer}.value", F32, "batch_size", kvHeads, "total_sequence_length", hd);

            var allKeys = RepeatKeyValue(g, presentKey, groups, heads, hd);
            var allValues = RepeatKeyValue(g, presentValue, groups, heads, hd);
            var scores = g.Add(g.Mul(g.MatMul(q, g.Transpose(allKeys, 0, 1, 3, 2)), scale), bias);
            var attention = g.Reshape(g.Transpose(g.MatMul(g.Softmax(scores), allValues), 0, 2, 1, 3), 0, 0, heads * hd);
            var output = g.MatMul(attention, g.Weight($"{prefix}.self_attn.o_proj.w", w.Linear($"{prefix}.self_attn.o_proj.w", heads * hd, hidden), heads * hd, hidden));
            x = g.Add(x, output);

            var n2 = g.RmsNorm(x, g.Weight($"{prefix}.post_attention_layernorm", w.Norm($"{prefix}.post_attention_layernorm", hidden), hidden), p.RmsNormEps);
            x = g.Add(x, SwiGlu(g, w, $"{prefix}.mlp", n2, hidden, p.TextIntermediate, withBias: false));
        }

        var final = g.RmsNorm(x, g.Weight("model.norm", w.Norm("model.norm", hidden), hidden), p.RmsNormEps);
        if (logitsToKeep)
        {
            // hidden_states[:, -K:, :] (slice(-0, None) is everything, as in HF).
            var keep = g.Input("num_logits_to_keep", I64);
            final = g.Op("Slice", [final, g.Op("Neg", [g.Reshape(keep, 1)]), g.Int64s(long.MaxValue), g.Int64s(1)]);
        }

        var lmHead = Transpose(EmbeddingTable(p, w), p.VocabularySize, hidden);
        g.Output(g.MatMul(final, g.Weight("lm_head (tied)", lmHead, hidden, p.VocabularySize)), "logits", F32, "batch_size", logitsToKeep ? "kept_sequence_length" : "sequence_length", p.VocabularySize);
        return g.ToModelBytes();
    }

    /// <summary>The embedding table shared by embed_tokens and the tied lm_head.</summary>
    internal static float[] EmbeddingTable(ModelPreset p, DeterministicWeights w) => w.Uniform("model.embed_tokens", p.VocabularySize * p.TextHidden, 1f);

    /// <summary>apply_rotary_pos_emb: x·cos + rotate_half(x)·sin.</summary>
    private static string Rotary(OnnxGraph g, string x, string cos, string sin, int headDim) =>
        g.Add(g.Mul(x, cos), g.Mul(g.RotateHalf(x, headDim), sin));

    /// <summary>repeat_kv: [B, kv, T, d] → [B, kv·groups, T, d], each key/value head serving <paramref name="groups"/> query heads.</summary>
    private static string RepeatKeyValue(OnnxGraph g, string x, int groups, int heads, int headDim) =>
        groups == 1 ? x : g.Reshape(g.Op("Tile", [g.Unsqueeze(x, 2), g.Int64s(1, 1, groups, 1, 1)]), 0, heads, -1, headDim);

    /// <summary>Qwen2MLP: down(silu(gate(x)) · up(x)); the vision blocks' MLP has biases, the decoder's has none.</summary>
    private static string SwiGlu(OnnxGraph g, DeterministicWeights w, string prefix, string x, int width, int intermediate, bool withBias)
    {
        string Bias(string name, int size) => g.Weight($"{prefix}.{name}.b", w.Uniform($"{prefix}.{name}.b", size, 0.1f), size);
        var gate = g.Linear(x, g.Weight($"{prefix}.gate_proj.w", w.Linear($"{prefix}.gate_proj.w", width, intermediate), width, intermediate), withBias ? Bias("gate_proj", intermediate) : null);
        var up = g.Linear(x, g.Weight($"{prefix}.up_proj.w", w.Linear($"{prefix}.up_proj.w", width, intermediate), width, intermediate), withBias ? Bias("up_proj", intermediate) : null);
        return g.Linear(g.Mul(g.Silu(gate), up), g.Weight($"{prefix}.down_proj.w", w.Linear($"{prefix}.down_proj.w", intermediate, width), intermediate, width), withBias ? Bias("down_proj", width) : null);
    }

    private static float[] Transpose(float[] matrix, int rows, int columns)
    {
        var result = new float[matrix.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return result;
    }
}
