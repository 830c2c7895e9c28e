using System.CommandLine;
using System.Runtime.InteropServices;
using Spectre.Console;
using Streaming.LocalStack;

namespace Streaming.Control.Demo;

public static class DemoCommand
{
    public static Command Create()
    {
        var report = new Option<string?>("--report") { Description = "Also write the summary as JSON to this file." };
        var clean = new Option<int>("--clean") { Description = "Clean images in the first phase, per model.", DefaultValueFactory = _ => 2000 };
        var attack = new Option<int>("--attack") { Description = "FGSM images in the second phase, per model.", DefaultValueFactory = _ => 1000 };
        var oneModel = new Option<bool>("--one-model") { Description = "Only small-cnn on MNIST; by default resnet-small on Fashion-MNIST runs beside it (its own Inference instance and reference, the same Detector)." };
        var epsilon = new Option<double>("--epsilon") { Description = "FGSM L-inf budget.", DefaultValueFactory = _ => 0.3 };
        var serve = new Option<bool>("--serve") { Description = "Also run the web console, and keep the pipeline and the console up after the phases until Ctrl-C." };
        var consolePort = new Option<int>("--console-port") { Description = "Port of the console with --serve (0: a free one).", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Run the whole pipeline end to end on embedded Kafka and Redis with two models (small-cnn on MNIST, resnet-small on Fashion-MNIST) and one Detector serving both from the reference registry: per model clean traffic, then FGSM attacks.")
        {
            report, clean, attack, oneModel, epsilon, serve, consolePort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new DemoOptions
            {
                ReportPath = parse.GetValue(report),
                CleanImages = parse.GetValue(clean),
                AttackImages = parse.GetValue(attack),
                SecondModel = !parse.GetValue(oneModel),
                Epsilon = parse.GetValue(epsilon),
                Serve = parse.GetValue(serve),
                ConsolePort = parse.GetValue(consolePort),
            };
            try
            {
                await new DemoRunner(RepoPaths.Discover(), options).RunAsync(cancellationToken, async (result, pipeline) =>
                {
                    DemoRunner.Print(result);
                    if (options.ReportPath is not null)
                    {
                        await DemoRunner.WriteAsync(result, options.ReportPath, cancellationToken);
                        AnsiConsole.MarkupLine($"Report written to {options.ReportPath}");
                    }

                    if (pipeline.ConsoleUrl is { } console)
                    {
                        // Plain output, so scripts can read the address.
                        System.Console.WriteLine($"Console: {console}");
                        AnsiConsole.MarkupLine("The pipeline and the console stay up; Ctrl-C (or SIGTERM) stops them.");
                        await StopRequestedAsync(cancellationToken);
                    }
                });
            }
            catch (OperationCanceledException) when (options.Serve && cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C after --serve: the pipeline was stopped on the way out.
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Waits for Ctrl-C or SIGTERM, caught here (not left to the runtime's default, which ends the
    /// process at once) so the pipeline is then stopped in order: every service, Redis, RabbitMQ.
    /// </summary>
    private static async Task StopRequestedAsync(CancellationToken cancellationToken)
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await stop.Task.WaitAsync(cancellationToken);
    }
}
