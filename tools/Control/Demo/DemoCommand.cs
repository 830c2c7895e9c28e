using System.CommandLine;
using Spectre.Console;
using Streaming.LocalStack;

namespace Streaming.Control.Demo;

public static class DemoCommand
{
    public static Command Create()
    {
        var report = new Option<string?>("--report") { Description = "Also write the summary as JSON to this file." };
        var clean = new Option<int>("--clean") { Description = "Clean images in the first phase.", DefaultValueFactory = _ => 2000 };
        var attack = new Option<int>("--attack") { Description = "FGSM images in the second phase.", DefaultValueFactory = _ => 1000 };
        var epsilon = new Option<double>("--epsilon") { Description = "FGSM L-inf budget.", DefaultValueFactory = _ => 0.3 };
        var command = new Command("demo", "Run the whole pipeline end to end on embedded Kafka and Redis: clean traffic, then FGSM attacks.")
        {
            report, clean, attack, epsilon,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new DemoOptions
            {
                ReportPath = parse.GetValue(report),
                CleanImages = parse.GetValue(clean),
                AttackImages = parse.GetValue(attack),
                Epsilon = parse.GetValue(epsilon),
            };
            var result = await new DemoRunner(RepoPaths.Discover(), options).RunAsync(cancellationToken);
            DemoRunner.Print(result);
            if (options.ReportPath is not null)
            {
                await DemoRunner.WriteAsync(result, options.ReportPath, cancellationToken);
                AnsiConsole.MarkupLine($"Report written to {options.ReportPath}");
            }

            return 0;
        });
        return command;
    }
}
