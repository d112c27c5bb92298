namespace QwenVl.Engine.Vision;

/// <summary>
/// An image (or its requested size) cannot be used: not a supported format, corrupt, too large, or outside what
/// Qwen2.5-VL's resizing rules accept. The message is meant for the user as it is.
/// </summary>
public sealed class ImageInputException : Exception
{
    public ImageInputException(string message)
        : base(message)
    {
    }

    public ImageInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImageInputException()
    {
    }
}
