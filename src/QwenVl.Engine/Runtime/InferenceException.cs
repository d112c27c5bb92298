namespace QwenVl.Engine.Runtime;

/// <summary>A graph could not be loaded or run; the message says which and why.</summary>
public sealed class InferenceException : Exception
{
    public InferenceException(string message)
        : base(message)
    {
    }

    public InferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InferenceException()
    {
    }
}
