using System.CommandLine;

namespace Streaming.Control.Benchmarks;

public static class BenchBackendCommand
{
    public static Command Create()
    {
        var referenceCounts = new Option<string>("--n-ref") { Description = "Reference vectors per layer, comma-separated.", DefaultValueFactory = _ => "1000,10000" };
        var batches = new Option<string>("--batch") { Description = "Windows per call, comma-separated.", DefaultValueFactory = _ => "1,16" };
        var windows = new Option<int>("--windows") { Description = "Windows timed per case.", DefaultValueFactory = _ => 16 };
        var ilgpuCpu = new Option<bool>("--ilgpu-cpu") { Description = "Also time ILGPU on its CPU accelerator (a test device, slow) against the TorchSharp figure of the same case." };
        var output = new Option<string?>("--out") { Description = "Write the TorchSharp CPU figures here: the --baseline of window-bench on the GPU machine." };
        referenceCounts.Validators.Add(result => Validate(result, "--n-ref", 2));
        batches.Validators.Add(result => Validate(result, "--batch", 1));
        windows.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError("--windows: must be at least 1.");
        });
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

    private static void Validate(System.CommandLine.Parsing.OptionResult result, string option, int smallest)
    {
        var value = result.GetValueOrDefault<string>() ?? "";
        if (TryCounts(value, smallest) is null)
            result.AddError($"{option}: '{value}' must be comma-separated integers of at least {smallest}.");
    }

    private static int[] Counts(string value, string option, int smallest) =>
        TryCounts(value, smallest) ?? throw new ArgumentException($"{option}: '{value}' must be comma-separated integers of at least {smallest}.");

    private static int[]? TryCounts(string value, int smallest)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var counts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.CultureInfo.InvariantCulture, out counts[i]) || counts[i] < smallest)
                return null;
        }
        return counts.Length > 0 ? counts : null;
    }
}
