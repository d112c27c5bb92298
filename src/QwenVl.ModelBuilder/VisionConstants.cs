using QwenVl.Engine.Vision;

namespace QwenVl.ModelBuilder;

/// <summary>The host-computed vision inputs of one image grid, baked into a GenAI vision graph.</summary>
internal sealed record VisionConstants(int Patches, float[] AttentionMask, float[] WindowAttentionMask, long[] WindowIndex, float[] RotaryPosEmb)
{
    public static VisionConstants For(GridThw grid, ModelPreset preset)
    {
        var inputs = VisionEncoderInputs.Create([grid], preset.ToVisionConfig());
        return new VisionConstants(inputs.PatchCount, VisionAttentionMask.Create(inputs.FrameBoundaries),
            VisionAttentionMask.Create(inputs.Windows.CuWindowSeqlens), inputs.Windows.WindowIndex, inputs.RotaryPosEmb);
    }
}
