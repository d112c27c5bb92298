using QwenVl.Cli;

namespace QwenVl.Engine.Tests.TestSupport;

/// <summary>Runs <c>qwenvl</c> in-process and captures what a user would see.</summary>
internal static class CommandLine
{
    public static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = QwenVlCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
