namespace QwenVl.Engine.Vision;

/// <summary>
/// Temporal patches <see cref="FirstFrame"/> … <see cref="FirstFrame"/> + <see cref="Frames"/> − 1 of one image or
/// video (<see cref="Item"/>, in prompt order) whose whole grid is <see cref="ItemGrid"/>. The vision tower never
/// attends across a temporal patch (HF's <c>cu_seqlens</c> holds one block per h·w), so a slice is encoded exactly
/// as it would be inside the whole.
/// </summary>
public readonly record struct VisionSlice(int Item, GridThw ItemGrid, int FirstFrame, int Frames)
{
    /// <summary>The slice as a grid of its own: [frames, h, w].</summary>
    public GridThw Grid => new(Frames, ItemGrid.H, ItemGrid.W);

    /// <summary>First row of the item's pixel values this slice covers.</summary>
    public int FirstPatch => FirstFrame * ItemGrid.H * ItemGrid.W;

    public int PatchCount => Grid.PatchCount;
}
