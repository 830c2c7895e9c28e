using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Streaming.Control.LoadTest;
using Streaming.LocalStack;

namespace Streaming.Control.Commands;

public static class LoadTestCommand
{
    public static Command Create()
    {
        var rate = new Option<double>("--rate") { Description = "Images per second offered (open loop), for phases without their own rate.", DefaultValueFactory = _ => 100 };
        var phases = new Option<string[]>("--phase") { Description = "name:seconds:attackShare[:rate], repeatable. Default: clean:20:0 then attack:20:1.", AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int>("--batch") { Description = "Images per request.", DefaultValueFactory = _ => 10 };
        var attack = new Option<string>("--attack") { Description = "Attack of the attacked share: fgsm, fgsm-targeted, bim, pgd, pgd-targeted, deepfool, noise, negation.", DefaultValueFactory = _ => "fgsm" };
        var epsilon = new Option<double>("--epsilon") { Description = "L-inf budget of attacked images.", DefaultValueFactory = _ => 0.3 };
        var ceiling = new Option<bool>("--no-kafka-ceiling") { Description = "Skip measuring the raw Kafka produce/consume rate." };
        var report = new Option<string?>("--report") { Description = "Write the report as JSON." };
        var command = new Command("loadtest", "Drive the embedded pipeline at a target rate with clean and attacked traffic and report rates, latencies, detection, lag and memory.")
        {
            rate, phases, batch, attack, epsilon, ceiling, report,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var defaultRate = parse.GetValue(rate);
            var given = parse.GetValue(phases) ?? [];
            var options = new LoadTestOptions
            {
                Phases = (given.Length == 0 ? ["clean:20:0", "attack:20:1"] : given).Select(p => LoadPhase.Parse(p, defaultRate)).ToList(),
                BatchSize = parse.GetValue(batch),
                Attack = parse.GetValue(attack)!,
                Epsilon = parse.GetValue(epsilon),
                MeasureKafkaCeiling = !parse.GetValue(ceiling),
            };
            var result = await new LoadTestRunner(RepoPaths.Discover(), options).RunAsync(cancellationToken);
            LoadTestRunner.Print(result);
            if (parse.GetValue(report) is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true }), cancellationToken);
                AnsiConsole.MarkupLine($"Report written to {path}");
            }

            return 0;
        });
        return command;
    }
}
