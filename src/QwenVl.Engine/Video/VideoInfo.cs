namespace QwenVl.Engine.Video;

/// <summary>What ffprobe says about a video's first video stream.</summary>
/// <param name="Width">Width as shown (after the rotation in the file's display matrix).</param>
/// <param name="Height">Height as shown.</param>
/// <param name="FrameCount">Frames in the stream (counted packets, else duration × fps).</param>
/// <param name="Fps">Average frames per second.</param>
/// <param name="Duration">Length of the stream.</param>
/// <param name="Rotation">Degrees of the display rotation, applied to the frames when they are read.</param>
public sealed record VideoInfo(int Width, int Height, int FrameCount, double Fps, TimeSpan Duration, int Rotation);
