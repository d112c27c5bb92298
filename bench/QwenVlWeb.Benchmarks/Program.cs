using BenchmarkDotNet.Running;

namespace QwenVlWeb.Benchmarks;

public static class Program
{
    /// <summary><c>page-latency</c> measures the live page in Chromium; anything else goes to BenchmarkDotNet.</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "page-latency")
        {
            return await PageLatency.RunAsync(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
