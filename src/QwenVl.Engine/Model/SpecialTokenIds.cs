namespace QwenVl.Engine.Model;

/// <summary>The vision and chat token ids named in <c>config.json</c>.</summary>
public sealed record SpecialTokenIds
{
    public required int ImageTokenId { get; init; }
    public required int VideoTokenId { get; init; }
    public required int VisionStartTokenId { get; init; }
    public required int VisionEndTokenId { get; init; }
}
