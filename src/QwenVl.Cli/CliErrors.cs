using QwenVl.Engine.Budget;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime;
using QwenVl.Engine.Video;
using QwenVl.Engine.Vision;

namespace QwenVl.Cli;

/// <summary>Turns the engine's user-facing exceptions into one stderr line and exit code 2; never a stack trace.</summary>
internal static class CliErrors
{
    public static int Guard(TextWriter stderr, Func<int> action) => GuardAsync(stderr, _ => Task.FromResult(action()), CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> GuardAsync(TextWriter stderr, Func<CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine("qwenvl: cancelled.");
            return 130;
        }
        catch (Exception ex) when (ex is ModelFolderException or ImageInputException or VideoInputException or ArgumentException or NotSupportedException or InferenceException
            or RequestBudgetException or QwenVl.Engine.Runtime.OpenVino.OpenVinoException)
        {
            stderr.WriteLine($"qwenvl: {ex.Message}");
            return QwenVlCommandLine.UserError;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"qwenvl: {ex.Message}");
            return QwenVlCommandLine.UserError;
        }
#pragma warning disable CA1031 // The command line must end with a message, not a stack trace, whatever went wrong.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"qwenvl: internal error ({ex.GetType().Name}): {ex.Message}");
            return 1;
        }
    }
}
