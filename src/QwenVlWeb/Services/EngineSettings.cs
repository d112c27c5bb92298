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
}
