using System.CommandLine;
using Streaming.Lab.Benchmarks;
using Streaming.Ml.Models;

namespace Streaming.Control.Benchmarks;

public static class BenchCaptureCommand
{
    public static Command Create()
    {
        var model = new Option<string[]>("--model") { Description = $"Models to measure (default all): {string.Join(", ", ModelCatalog.Names)}.", AllowMultipleArgumentsPerToken = true };
        var rounds = new Option<int>("--rounds") { Description = "Alternating plain/capture rounds.", DefaultValueFactory = _ => 5 };
        var command = new Command("bench-capture", "Capture of every default layer vs a plain forward, at batch 1 and 64, as a ratio (target <= 1.10 at batch 64).") { model, rounds };
        command.SetAction((parse, _) =>
        {
            var names = parse.GetValue(model) is { Length: > 0 } chosen ? chosen : [.. ModelCatalog.Names];
            var output = Console.Out;
            output.WriteLine($"{"model",-14} {"layers",6} {"batch",5} {"plain ms",10} {"capture ms",10} {"ratio",6}");
            foreach (var name in names)
            {
                var definition = ModelCatalog.Get(name);
                foreach (var (batch, iterations) in new[] { (1, 60), (64, 8) })
                {
                    var result = CaptureBenchmark.Run(definition, batch, parse.GetValue(rounds), iterations);
                    output.WriteLine($"{result.Model,-14} {result.Layers,6} {result.BatchSize,5} {result.PlainMs,10:0.000} {result.CaptureMs,10:0.000} {result.Ratio,6:0.000}");
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
