using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Streaming.Control.Cli;
using Streaming.LocalStack;

namespace Streaming.Control.Replay;

public static class ReplayCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers.", Required = true };
        var topic = new Option<string>("--topic") { Description = "Activations topic.", DefaultValueFactory = _ => Contracts.Topics.Activations };
        var from = new Option<ReplayBoundary?>("--from") { Description = "Start: an offset (every partition) or an ISO 8601 timestamp. Default: the beginning.", CustomParser = OptionParsers.Boundary };
        var to = new Option<ReplayBoundary?>("--to") { Description = "End (exclusive): an offset or a timestamp. Default: the current end.", CustomParser = OptionParsers.Boundary };
        var model = new Option<string?>("--model") { Description = "Only this model." };
        var stream = new Option<string?>("--stream") { Description = "Only this stream." };
        var reference = new Option<string?>("--reference") { Description = "Reference file (default: the demo model's)." };
        var size = new Option<int>("--window-size") { DefaultValueFactory = _ => 100 };
        var slide = new Option<int>("--window-slide") { DefaultValueFactory = _ => 50 };
        var alpha = new Option<double>("--alpha") { DefaultValueFactory = _ => 0.05 };
        var permutations = new Option<int>("--permutations") { DefaultValueFactory = _ => 500 };
        var output = new Option<string?>("--output-topic") { Description = "Also publish detections to this topic (never the live one)." };
        var report = new Option<string?>("--report") { Description = "Write every window's result and the summary as JSON." };
        var plot = new Option<string?>("--plot") { Description = "Write PNG plots PREFIX-pvalues.png and PREFIX-detection-rate.png." };
        var command = new Command("replay", "Re-run windowing and detection over a historical range of the activations topic, without touching the live pipeline.")
        {
            bootstrap, topic, from, to, model, stream, reference, size, slide, alpha, permutations, output, report, plot,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(output) == Contracts.Topics.Detections)
                throw new CliFailureException("--output-topic must not be the live detections topic.");
            KafkaReachability.Ensure(parse.GetValue(bootstrap)!, bootstrap.Name);
            var options = new ReplayOptions
            {
                BootstrapServers = parse.GetValue(bootstrap)!,
                Topic = parse.GetValue(topic)!,
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Model = parse.GetValue(model),
                Stream = parse.GetValue(stream),
                ReferencePath = parse.GetValue(reference) ?? RepoPaths.Discover().DefaultReferencePath,
                WindowSize = parse.GetValue(size),
                WindowSlide = parse.GetValue(slide),
                Alpha = parse.GetValue(alpha),
                Permutations = parse.GetValue(permutations),
                OutputTopic = parse.GetValue(output),
            };

            var runner = new ReplayRunner(options);
            ReplayReport? result = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(ctx =>
                {
                    var task = ctx.AddTask("replaying", autoStart: true, maxValue: 1);
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    var progress = new Progress<long>(n =>
                    {
                        task.MaxValue = Math.Max(1, runner.TotalEvents);
                        task.Value = n;
                        task.Description = $"replaying: {n / Math.Max(0.001, started.Elapsed.TotalSeconds):0} events/s";
                    });
                    result = runner.Run(progress, cancellationToken);
                    task.Value = task.MaxValue;
                    return Task.CompletedTask;
                });

            if (result!.Events == 0)
            {
                AnsiConsole.MarkupLine($"[yellow]No events in {options.Topic} for that range[/] (from {parse.GetResult(from)?.Tokens.FirstOrDefault()?.Value ?? "the beginning"} to {parse.GetResult(to)?.Tokens.FirstOrDefault()?.Value ?? "the end"}); nothing to replay.");
                return 0;
            }

            AnsiConsole.MarkupLine($"{result.Events} events, {result.Windows} windows, {result.Alerts} alerts");
            if (result.TruePositiveRate is { } tpr) AnsiConsole.MarkupLine($"attacked windows: {result.AttackedWindows}, detected {tpr:P1}");
            if (result.FalsePositiveRate is { } fpr) AnsiConsole.MarkupLine($"clean windows: {result.CleanWindows}, false positives {fpr:P1}");
            if (parse.GetValue(plot) is { } prefix)
            {
                foreach (var png in ReplayPlot.Save(result, prefix, options.Alpha))
                    AnsiConsole.MarkupLine($"Plot written to {png}");
            }

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
