namespace QwenVl.ModelBuilder;

/// <summary>The host-computed vision inputs of one image grid, baked into a GenAI vision graph.</summary>
public sealed record VisionConstants(int Patches, float[] AttentionMask, float[] WindowAttentionMask, long[] WindowIndex, float[] RotaryPosEmb);
