using QwenVl.Engine.Vision;

namespace QwenVl.Engine.Text;

/// <summary>A video's grid and the seconds one temporal patch spans (2 / sample_fps; HF's <c>second_per_grid_t</c>).</summary>
public readonly record struct VideoGrid(GridThw Grid, double SecondsPerGrid);
