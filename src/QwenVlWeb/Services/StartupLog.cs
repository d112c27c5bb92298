namespace QwenVlWeb.Services;

/// <summary>Log messages written while the app starts.</summary>
internal static partial class StartupLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "No usable model: {Problem} Open the page for the steps to add one.")]
    public static partial void NoUsableModel(ILogger logger, string problem);
}
