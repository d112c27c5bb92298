namespace QwenVl.Engine.Model;

/// <summary>
/// A model folder is missing a file, or a file in it is malformed. The message names the file and what is wrong,
/// so it can be shown to a user as it is.
/// </summary>
public sealed class ModelFolderException : Exception
{
    public ModelFolderException(string message)
        : base(message)
    {
    }

    public ModelFolderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelFolderException()
    {
    }

    /// <summary>The file the problem is in, when there is one.</summary>
    public string? FileName { get; init; }
}
