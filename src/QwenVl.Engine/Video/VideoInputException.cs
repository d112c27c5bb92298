namespace QwenVl.Engine.Video;

/// <summary>A video that cannot be used (unreadable, too short, too long, ffmpeg missing), in words for the user.</summary>
public sealed class VideoInputException : Exception
{
    public VideoInputException(string message)
        : base(message)
    {
    }

    public VideoInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
