using QwenVl.Engine.Budget;

namespace QwenVlWeb.Services;

/// <summary>The <c>Engine</c> section of appsettings.json: which model to load, and how.</summary>
public sealed class EngineSettings
{
    public const string Section = "Engine";

    /// <summary>The model folder (optimum-intel export); relative paths mean the repository root in a source checkout.</summary>
    public string ModelPath { get; set; } = string.Empty;

    /// <summary><c>auto</c>, <c>openvino</c> or <c>onnxruntime</c>.</summary>
    public string Backend { get; set; } = "auto";

    /// <summary>The OpenVINO device: CPU, GPU, NPU or AUTO.</summary>
    public string Device { get; set; } = "AUTO";

    /// <summary>A folder holding libopenvino_c (or the library itself); empty searches the usual places.</summary>
    public string OpenVinoPath { get; set; } = string.Empty;

    /// <summary>Prompt plus answer tokens one request may use; 0: the model's context, within the memory budget.</summary>
    public int MaxPromptTokens { get; set; }

    /// <summary>Memory one request may use, in MiB; 0: half of the machine's memory.</summary>
    public int MemoryBudgetMB { get; set; }

    /// <summary>Prompt tokens per prefill step.</summary>
    public int PrefillChunkTokens { get; set; } = InferenceLimits.DefaultPrefillChunkTokens;

    /// <summary>Patches per vision-tower call.</summary>
    public int VisionPatchesPerCall { get; set; } = InferenceLimits.DefaultVisionPatchesPerCall;

    public InferenceLimits ToLimits() => new InferenceLimits
    {
        MaxPromptTokens = MaxPromptTokens > 0 ? MaxPromptTokens : null,
        MemoryBudgetMB = MemoryBudgetMB > 0 ? MemoryBudgetMB : null,
        PrefillChunkTokens = PrefillChunkTokens,
        VisionPatchesPerCall = VisionPatchesPerCall,
    }.Validated();
}
