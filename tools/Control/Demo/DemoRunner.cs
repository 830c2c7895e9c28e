using System.Text.Json;
using Spectre.Console;
using Streaming.Contracts;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.Lab.Data;
using Streaming.LocalStack;

namespace Streaming.Control.Demo;

/// <summary>
/// The end-to-end demo on embedded defaults: librdkafka's mock cluster (hosted in this process),
/// a redis-server, the four services as separate processes, a local webhook receiver; a clean
/// phase and an FGSM phase of MNIST test images sent through the inference endpoint, both taken from
/// the test images outside the reference's seeded sample (<see cref="CleanSample"/>).
/// </summary>
public sealed class DemoRunner(RepoPaths paths, DemoOptions options)
{
    private const string CleanStream = "demo-clean";
    private const string AttackStream = "demo-attack";

    /// <param name="whileUp">Called with the report while the pipeline still runs (<see cref="DemoOptions.Serve"/>: to keep it up).</param>
    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken, Func<DemoReport, EmbeddedPipeline, Task>? whileUp = null)
    {
        var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
        var needed = (long)options.ReferenceSize + options.CalibrationSize + options.CleanImages + options.AttackImages;
        if (needed > test.Count)
            throw new ArgumentException($"Reference ({options.ReferenceSize}) + calibration ({options.CalibrationSize}) + clean ({options.CleanImages}) + attack ({options.AttackImages}) images exceed the {test.Count} MNIST test images.");
        var manifest = ModelCache.Ensure(paths, cancellationToken);
        var referencePath = paths.DefaultReferencePath;
        // The reference is a seeded sample of the whole test split; clean and attacked images are the next
        // images of the same shuffle, one phase after the other and disjoint from it and from each other, so
        // the clean phase differs from the reference by chance alone and the attack phase by the attack.
        var sample = CleanSample.Draw(test.Count, options.ReferenceSize, options.CalibrationSize, options.Seed);
        sample.EnsureReference(paths.DefaultModelDirectory, test, referencePath, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
        var traffic = sample.TrafficImages(test, options.CleanImages + options.AttackImages);

        AnsiConsole.MarkupLine($"Generating {options.AttackImages} FGSM images (eps {options.Epsilon}) …");
        var (attackPixels, attackSuccess) = ModelCache.Attack(paths, traffic, options.CleanImages, options.AttackImages, "fgsm", options.Epsilon);

        var settings = new PipelineSettings
        {
            ModelDirectory = paths.DefaultModelDirectory,
            ReferencePath = referencePath,
            WindowSize = options.WindowSize,
            WindowSlide = options.WindowSlide,
            Permutations = options.Permutations,
            Alpha = options.Alpha,
            TorchThreads = options.TorchThreads,
            LogDirectory = Path.Combine(paths.Artifacts, "demo", "logs"),
            WithConsole = options.Serve,
            ConsolePort = options.ConsolePort,
        };
        await using var pipeline = await EmbeddedPipeline.StartAsync(paths, settings, cancellationToken);
        var receiver = pipeline.Receiver;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var collector = new DetectionCollector(pipeline.KafkaOptions, Contracts.Topics.Detections);
        var sender = new TrafficSender(http, pipeline.InferenceUrl);
        await SendPhaseAsync(sender, CleanStream, traffic.Pixels.AsSpan(0, options.CleanImages * MnistDataset.PixelsPerImage).ToArray(), options.CleanImages, new Dictionary<string, string> { ["attack"] = "none" }, cancellationToken);
        await SendPhaseAsync(sender, AttackStream, attackPixels, options.AttackImages, new Dictionary<string, string> { ["attack"] = "fgsm", ["epsilon"] = options.Epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken);

        var expectedClean = options.ExpectedWindows(options.CleanImages);
        var expectedAttack = options.ExpectedWindows(options.AttackImages);
        // The model-wide windows (same size and slide here) run over both phases' images.
        var expectedModelWide = options.ExpectedWindows(options.CleanImages + options.AttackImages);
        await AnsiConsole.Status().StartAsync("Waiting for every window to be tested …", async _ =>
        {
            await collector.WaitForWindowsAsync(CleanStream, expectedClean, options.DrainTimeout, cancellationToken);
            await collector.WaitForWindowsAsync(AttackStream, expectedAttack, options.DrainTimeout, cancellationToken);
            await collector.WaitForWindowsAsync(WindowScopes.ModelWideStreamId, expectedModelWide, options.DrainTimeout, cancellationToken);
        });
        var clean = collector.CountsFor(CleanStream);
        var attack = collector.CountsFor(AttackStream);
        var modelWide = collector.CountsFor(WindowScopes.ModelWideStreamId);
        var alerts = clean.Alerts + attack.Alerts + modelWide.Alerts;
        // Alerts travel on through the alerting service; give the last webhooks a moment to arrive.
        try
        {
            await receiver.WaitForCountAsync(alerts, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            AnsiConsole.MarkupLine($"[yellow]Only {receiver.Accepted.Count} of {alerts} webhooks arrived in time.[/]");
        }

        var latencies = WebhookLatencies.FromReceiver(receiver);
        var report = new DemoReport(
            new PhaseSummary(CleanStream, options.CleanImages, expectedClean, clean.Windows, clean.Alerts, Rate(clean)),
            new PhaseSummary(AttackStream, options.AttackImages, expectedAttack, attack.Windows, attack.Alerts, Rate(attack)),
            new PhaseSummary(WindowScopes.ModelWideStreamId, options.CleanImages + options.AttackImages, expectedModelWide, modelWide.Windows, modelWide.Alerts, Rate(modelWide)),
            new WebhookSummary(receiver.Accepted.Count),
            latencies,
            new DemoSettings(manifest.Name, manifest.TestAccuracy, options.WindowSize, options.WindowSlide, options.ReferenceSize, options.CalibrationSize, options.Seed, options.Permutations, options.Alpha, "bonferroni", "fgsm", options.Epsilon, attackSuccess));
        pipeline.EnsureServicesAlive();
        if (whileUp is not null)
            await whileUp(report, pipeline);
        return report;
    }

    public static void Print(DemoReport report)
    {
        var table = new Table().AddColumns("phase", "images", "windows (expected)", "alerts", "alert rate");
        foreach (var phase in new[] { report.Clean, report.Attack, report.ModelWide })
            table.AddRow(phase.Stream, phase.Images.ToString(), $"{phase.Windows} ({phase.ExpectedWindows})", phase.Alerts.ToString(), $"{phase.AlertRate:P1}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Webhooks received: [bold]{report.Webhooks.Received}[/]");
        AnsiConsole.MarkupLine($"End-to-end latency (inference request → webhook received): p50 [bold]{report.LatencyMs.P50:0} ms[/], p99 [bold]{report.LatencyMs.P99:0} ms[/] over {report.LatencyMs.Samples} alerts");
        AnsiConsole.MarkupLine($"Model {report.Settings.Model}: test accuracy {report.Settings.TestAccuracy:P2}; FGSM eps {report.Settings.Epsilon} flips {report.Settings.AttackSuccessRate:P1} of correctly classified images.");
    }

    public static async Task WriteAsync(DemoReport report, string path, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true });
        await File.WriteAllTextAsync(path, json, cancellationToken);
    }

    private static double Rate(StreamCounts counts) => counts.Windows == 0 ? 0 : (double)counts.Alerts / counts.Windows;

    private async Task SendPhaseAsync(TrafficSender sender, string stream, float[] pixels, int count, Dictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"{stream}: sending {count} images", maxValue: count);
            var progress = new Progress<int>(sent => task.Value = sent);
            await sender.SendAsync(stream, pixels, count, options.BatchSize, attributes, progress, cancellationToken);
            task.Value = count;
        });
    }
}
