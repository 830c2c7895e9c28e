using System.Text.Json;
using Spectre.Console;
using Streaming.Contracts;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.Lab.Data;
using Streaming.LocalStack;

namespace Streaming.Control.Demo;

/// <summary>
/// The end-to-end demo on embedded defaults: librdkafka's mock Kafka cluster (hosted in this process),
/// a redis-server, the services as separate processes, a local webhook receiver. Two models at once
/// (unless <see cref="DemoOptions.SecondModel"/> is off): small-cnn on MNIST and resnet-small on
/// Fashion-MNIST, each behind an Inference instance of its own, one Windowing and one Detector in registry
/// mode serving both models' references (published and activated in the pipeline's Redis). Per model a clean
/// phase and an FGSM phase of its test images, taken from outside its reference's seeded sample (<see cref="CleanSample"/>).
/// </summary>
public sealed class DemoRunner(RepoPaths paths, DemoOptions options)
{
    /// <param name="whileUp">Called with the report while the pipeline still runs (<see cref="DemoOptions.Serve"/>: to keep it up).</param>
    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken, Func<DemoReport, EmbeddedPipeline, Task>? whileUp = null)
    {
        List<DemoModel> models = [Prepare(CachedModel.SmallCnn(paths), "demo", cancellationToken)];
        if (options.SecondModel)
            models.Add(Prepare(CachedModel.ResNetFashion(paths), "fashion", cancellationToken));

        var settings = new PipelineSettings
        {
            ModelDirectory = models[0].Cached.Directory,
            MoreModelDirectories = [.. models.Skip(1).Select(m => m.Cached.Directory)],
            ReferencePath = models[0].Cached.ReferencePath,
            // The Detector serves every model from the registry: each reference published and activated before it starts.
            RegistryReferences = [.. models.Select(m => m.Cached.ReferencePath)],
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
        // The models' traffic runs side by side, each to its own Inference instance: clean, then attack.
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var sends = new List<Task>();
            for (var i = 0; i < models.Count; i++)
            {
                var model = models[i];
                var clean = ctx.AddTask($"{model.CleanStream} ({model.Manifest.Name}): {options.CleanImages} clean images", maxValue: options.CleanImages);
                var attack = ctx.AddTask($"{model.AttackStream} ({model.Manifest.Name}): {options.AttackImages} FGSM images", maxValue: options.AttackImages);
                sends.Add(SendModelAsync(new TrafficSender(http, pipeline.InferenceUrls[i]), model, clean, attack, cancellationToken));
            }
            await Task.WhenAll(sends);
        });

        var expectedClean = options.ExpectedWindows(options.CleanImages);
        var expectedAttack = options.ExpectedWindows(options.AttackImages);
        // The model-wide windows (same size and slide here) run over both phases' images of each model.
        var expectedModelWide = options.ExpectedWindows(options.CleanImages + options.AttackImages);
        await AnsiConsole.Status().StartAsync("Waiting for every window to be tested …", async _ =>
        {
            foreach (var model in models)
            {
                await collector.WaitForWindowsAsync(model.Manifest.Name, model.CleanStream, expectedClean, options.DrainTimeout, cancellationToken);
                await collector.WaitForWindowsAsync(model.Manifest.Name, model.AttackStream, expectedAttack, options.DrainTimeout, cancellationToken);
                await collector.WaitForWindowsAsync(model.Manifest.Name, WindowScopes.ModelWideStreamId, expectedModelWide, options.DrainTimeout, cancellationToken);
            }
        });
        var summaries = models.Select(m => Summarize(m, collector, expectedClean, expectedAttack, expectedModelWide)).ToList();
        var alerts = summaries.Sum(m => m.Clean.Alerts + m.Attack.Alerts + m.ModelWide.Alerts);
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
        var first = summaries[0];
        var report = new DemoReport(
            first.Clean,
            first.Attack,
            first.ModelWide,
            new WebhookSummary(receiver.Accepted.Count),
            latencies,
            new DemoSettings(first.Model, first.TestAccuracy, options.WindowSize, options.WindowSlide, options.ReferenceSize, options.CalibrationSize, options.Seed, options.Permutations, options.Alpha, "bonferroni", "fgsm", options.Epsilon, first.AttackSuccessRate),
            summaries);
        pipeline.EnsureServicesAlive();
        if (whileUp is not null)
            await whileUp(report, pipeline);
        return report;
    }

    public static void Print(DemoReport report)
    {
        var table = new Table().AddColumns("model", "phase", "images", "windows (expected)", "alerts", "alert rate");
        foreach (var model in report.Models)
        {
            foreach (var phase in new[] { model.Clean, model.Attack, model.ModelWide })
                table.AddRow(model.Model, phase.Stream, phase.Images.ToString(), $"{phase.Windows} ({phase.ExpectedWindows})", phase.Alerts.ToString(), $"{phase.AlertRate:P1}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Webhooks received: [bold]{report.Webhooks.Received}[/]");
        AnsiConsole.MarkupLine($"End-to-end latency (inference request → webhook received): p50 [bold]{report.LatencyMs.P50:0} ms[/], p99 [bold]{report.LatencyMs.P99:0} ms[/] over {report.LatencyMs.Samples} alerts");
        foreach (var model in report.Models)
        {
            var references = model.ReferenceIds.Count == 0 ? "none" : string.Join(", ", model.ReferenceIds);
            AnsiConsole.MarkupLine(Markup.Escape($"Model {model.Model} {model.Version} on {model.Dataset}: test accuracy {model.TestAccuracy:P2}; FGSM eps {report.Settings.Epsilon} flips {model.AttackSuccessRate:P1} of correctly classified images; tested against reference {references}."));
        }
    }

    public static async Task WriteAsync(DemoReport report, string path, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true });
        await File.WriteAllTextAsync(path, json, cancellationToken);
    }

    private static double Rate(StreamCounts counts) => counts.Windows == 0 ? 0 : (double)counts.Alerts / counts.Windows;

    private ModelSummary Summarize(DemoModel model, DetectionCollector collector, int expectedClean, int expectedAttack, int expectedModelWide)
    {
        var name = model.Manifest.Name;
        var clean = collector.CountsFor(name, model.CleanStream);
        var attack = collector.CountsFor(name, model.AttackStream);
        var modelWide = collector.CountsFor(name, WindowScopes.ModelWideStreamId);
        return new ModelSummary(
            name,
            model.Manifest.Version,
            model.Manifest.Dataset,
            model.Manifest.TestAccuracy,
            model.AttackSuccessRate,
            collector.ReferenceIds(name),
            new PhaseSummary(model.CleanStream, options.CleanImages, expectedClean, clean.Windows, clean.Alerts, Rate(clean)),
            new PhaseSummary(model.AttackStream, options.AttackImages, expectedAttack, attack.Windows, attack.Alerts, Rate(attack)),
            new PhaseSummary(WindowScopes.ModelWideStreamId, options.CleanImages + options.AttackImages, expectedModelWide, modelWide.Windows, modelWide.Alerts, Rate(modelWide)));
    }

    /// <summary>
    /// Trains <paramref name="cached"/> once, ensures its reference (a seeded sample of its test split) and makes its
    /// traffic: the next images of the same shuffle, one phase after the other and disjoint from the sample and from
    /// each other, so the clean phase differs from the reference by chance alone and the attack phase by the attack.
    /// </summary>
    private DemoModel Prepare(CachedModel cached, string streamPrefix, CancellationToken cancellationToken)
    {
        var test = ImageDatasets.Load(cached.Dataset, paths.Root, MnistSplit.Test);
        var needed = (long)options.ReferenceSize + options.CalibrationSize + options.CleanImages + options.AttackImages;
        if (needed > test.Count)
            throw new ArgumentException($"Reference ({options.ReferenceSize}) + calibration ({options.CalibrationSize}) + clean ({options.CleanImages}) + attack ({options.AttackImages}) images exceed the {test.Count} {cached.Dataset} test images.");
        var manifest = ModelCache.Ensure(paths, cached, cancellationToken);
        var sample = CleanSample.Draw(test.Count, options.ReferenceSize, options.CalibrationSize, options.Seed, cached.Dataset);
        sample.EnsureReference(cached.Directory, test, cached.ReferencePath, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
        var traffic = sample.TrafficImages(test, options.CleanImages + options.AttackImages);
        AnsiConsole.MarkupLine($"Generating {options.AttackImages} FGSM images (eps {options.Epsilon}) against {manifest.Name} …");
        var (attackPixels, attackSuccess) = ModelCache.Attack(cached.Directory, traffic, options.CleanImages, options.AttackImages, "fgsm", options.Epsilon);
        var cleanPixels = traffic.Pixels.AsSpan(0, options.CleanImages * MnistDataset.PixelsPerImage).ToArray();
        return new DemoModel(cached, manifest, streamPrefix, cleanPixels, attackPixels, attackSuccess);
    }

    private async Task SendModelAsync(TrafficSender sender, DemoModel model, ProgressTask cleanTask, ProgressTask attackTask, CancellationToken cancellationToken)
    {
        await sender.SendAsync(model.CleanStream, model.CleanPixels, options.CleanImages, options.BatchSize, new Dictionary<string, string> { ["attack"] = "none" }, new Progress<int>(sent => cleanTask.Value = sent), cancellationToken);
        cleanTask.Value = options.CleanImages;
        var attack = new Dictionary<string, string> { ["attack"] = "fgsm", ["epsilon"] = options.Epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await sender.SendAsync(model.AttackStream, model.AttackPixels, options.AttackImages, options.BatchSize, attack, new Progress<int>(sent => attackTask.Value = sent), cancellationToken);
        attackTask.Value = options.AttackImages;
    }
}
