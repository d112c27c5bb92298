using System.CommandLine;
using QwenVl.Cli.Commands;

namespace QwenVl.Cli;

/// <summary>The <c>qwenvl</c> command line; callable in-process so tests see exactly what a user sees.</summary>
public static class QwenVlCommandLine
{
    /// <summary>Exit code for a user error (bad arguments, missing or unreadable files, budget violations).</summary>
    public const int UserError = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var root = new RootCommand("qwenvl — run and inspect Qwen2.5-VL models on your own machine.")
        {
            InspectCommand.Create(stdout, stderr),
            MakeTinyModelCommand.Create(stdout, stderr),
            GenerateCommand.Create(stdout, stderr),
            DoctorCommand.Create(stdout, stderr),
            BenchCommand.Create(stdout, stderr),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"qwenvl: {error.Message}");
            }

            stderr.WriteLine("Run 'qwenvl --help' for usage.");
            return UserError;
        }

        return parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }).GetAwaiter().GetResult();
    }
}
