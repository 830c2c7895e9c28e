using System.CommandLine;
using Streaming.Lab.Benchmarks;

namespace Streaming.Control.Benchmarks;

public static class BenchmarkCommand
{
    public static Command Create()
    {
        var command = new Command("bench-mmd", "Vectorised permutation test vs a per-permutation loop on the same data (n_ref 1000, window 200, d 512, P 1000).");
        command.SetAction((_, _) =>
        {
            PermutationBenchmark.Run(Console.Out);
            return Task.FromResult(0);
        });
        return command;
    }
}
