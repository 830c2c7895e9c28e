using System.CommandLine;
using Streaming.Control.Benchmarks;

namespace Streaming.Control.Commands;

public static class BenchBackendCommand
{
    public static Command Create()
    {
        var referenceCounts = new Option<string>("--n-ref") { Description = "Reference vectors per layer, comma-separated.", DefaultValueFactory = _ => "1000,10000" };
        var batches = new Option<string>("--batch") { Description = "Windows per call, comma-separated.", DefaultValueFactory = _ => "1,16" };
        var windows = new Option<int>("--windows") { Description = "Windows timed per case.", DefaultValueFactory = _ => 16 };
        var ilgpuCpu = new Option<bool>("--ilgpu-cpu") { Description = "Also time ILGPU on its CPU accelerator (a test device, slow) against the TorchSharp figure of the same case." };
        var output = new Option<string?>("--out") { Description = "Write the TorchSharp CPU figures here: the --baseline of window-bench on the GPU machine." };
        var command = new Command("bench-backend",
            "The window test's statistics (4 layers d 32/64/128/10, window 100, P 500) per backend: TorchSharp on this CPU, optionally ILGPU's CPU accelerator; windows/s, ms/window, ratios.")
        {
            referenceCounts, batches, windows, ilgpuCpu, output,
        };
        command.SetAction((parse, _) =>
        {
            BackendBenchmark.Run(Console.Out, Counts(parse.GetValue(referenceCounts)!, "--n-ref", 2), Counts(parse.GetValue(batches)!, "--batch", 1),
                parse.GetValue(windows), parse.GetValue(ilgpuCpu), parse.GetValue(output));
            return Task.FromResult(0);
        });
        return command;
    }

    private static int[] Counts(string value, string option, int smallest)
    {
        var counts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
            int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out int count) && count >= smallest
                ? count
                : throw new ArgumentException($"{option} holds '{part}'; each value must be an integer of at least {smallest}.")).ToArray();
        return counts.Length > 0 ? counts : throw new ArgumentException($"{option} is empty.");
    }
}
