using System.Text.Json;
using Spectre.Console;
using Streaming.Alerting.Receiver;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.Messaging;
using Streaming.Messaging.Mock;
using Streaming.Ml;
using Streaming.Windows.Hosting;
using static TorchSharp.torch;

namespace Streaming.Control.Demo;

/// <summary>
/// The end-to-end demo on embedded defaults: librdkafka's mock cluster (hosted in this process),
/// a redis-server, the four services as separate processes, a local webhook receiver; a clean
/// phase and an FGSM phase of MNIST test images sent through the inference endpoint.
/// </summary>
public sealed class DemoRunner(RepoPaths paths, DemoOptions options)
{
    // MNIST's test set is two halves of different writers (the first 5,000 are cleaner); reference,
    // clean traffic and attacked images all come from the first half, one after another and
    // disjoint, so the attack phase differs from the reference by the attack alone.
    private const int UniformPrefix = 5000;
    private const string CleanStream = "demo-clean";
    private const string AttackStream = "demo-attack";

    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        var cleanStart = options.ReferenceSize;
        var attackStart = cleanStart + options.CleanImages;
        if (attackStart + options.AttackImages > UniformPrefix)
            throw new ArgumentException($"Reference ({options.ReferenceSize}) + clean ({options.CleanImages}) + attack ({options.AttackImages}) images exceed the {UniformPrefix} homogeneous MNIST test images.");
        var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
        var manifest = EnsureModel(cancellationToken);
        var referencePath = paths.DefaultReferencePath;
        AnsiConsole.MarkupLine($"Calibrating the reference from {options.ReferenceSize} clean test images …");
        ModelWorkshop.Calibrate(paths.DefaultModelDirectory, test, 0, options.ReferenceSize, referencePath);

        AnsiConsole.MarkupLine($"Generating {options.AttackImages} FGSM images (eps {options.Epsilon}) …");
        var (attackPixels, attackSuccess) = GenerateAttack(test, attackStart);

        using var kafka = MockKafkaCluster.Start();
        KafkaTopology.CreateAll(kafka);
        await using var redis = await RedisServerProcess.StartAsync(cancellationToken);
        await using var receiver = await WebhookReceiver.StartAsync(cancellationToken: cancellationToken);
        AnsiConsole.MarkupLine($"Embedded Kafka (librdkafka mock cluster) at [green]{kafka.BootstrapServers}[/], Redis at [green]{redis.ConnectionString}[/], webhook receiver at [green]{receiver.Url}[/]");

        var kafkaOptions = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 };
        var common = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka__SessionTimeoutMs"] = "3000",
            ["Kafka__HeartbeatIntervalMs"] = "500",
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["Windows__Size"] = options.WindowSize.ToString(),
            ["Windows__Slide"] = options.WindowSlide.ToString(),
        };
        var logs = Path.Combine(paths.Artifacts, "demo", "logs");
        var services = new List<ServiceProcess>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            services.Add(Start("Inference", common, logs, new() { ["Inference__ModelDirectory"] = paths.DefaultModelDirectory }));
            services.Add(Start("Windowing", common, logs, []));
            services.Add(Start("Detector", common, logs, new()
            {
                ["Detector__ReferencePath"] = referencePath,
                ["Detector__Permutations"] = options.Permutations.ToString(),
                ["Detector__Alpha"] = options.Alpha.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
            services.Add(Start("Alerting", common, logs, new()
            {
                ["Alerting__Webhooks__0__Name"] = "demo-receiver",
                ["Alerting__Webhooks__0__Url"] = receiver.Url.ToString(),
                // The demo receiver is plain http on loopback: both are refused unless allow-listed.
                ["Alerting__AllowInsecureHosts__0"] = receiver.Url.Host,
                ["Alerting__AllowPrivateNetworks"] = "true",
            }));
            foreach (var service in services)
                await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), cancellationToken);
            AnsiConsole.MarkupLine($"Services up ([grey]logs in {logs}[/]).");

            using var collector = new DetectionCollector(kafkaOptions, Contracts.Topics.Detections);
            var sender = new TrafficSender(http, services[0].BaseAddress);
            await SendPhaseAsync(sender, CleanStream, test.Pixels.AsSpan(cleanStart * MnistDataset.PixelsPerImage, options.CleanImages * MnistDataset.PixelsPerImage).ToArray(), options.CleanImages, new Dictionary<string, string> { ["attack"] = "none" }, cancellationToken);
            await SendPhaseAsync(sender, AttackStream, attackPixels, options.AttackImages, new Dictionary<string, string> { ["attack"] = "fgsm", ["epsilon"] = options.Epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken);

            var expectedClean = options.ExpectedWindows(options.CleanImages);
            var expectedAttack = options.ExpectedWindows(options.AttackImages);
            await AnsiConsole.Status().StartAsync("Waiting for every window to be tested …", async _ =>
            {
                await collector.WaitForWindowsAsync(CleanStream, expectedClean, options.DrainTimeout, cancellationToken);
                await collector.WaitForWindowsAsync(AttackStream, expectedAttack, options.DrainTimeout, cancellationToken);
            });
            var clean = collector.CountsFor(CleanStream);
            var attack = collector.CountsFor(AttackStream);
            var alerts = clean.Alerts + attack.Alerts;
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
                new WebhookSummary(receiver.Accepted.Count),
                latencies,
                new DemoSettings(manifest.Name, manifest.TestAccuracy, options.WindowSize, options.WindowSlide, options.ReferenceSize, options.Permutations, options.Alpha, "bonferroni", "fgsm", options.Epsilon, attackSuccess));
            foreach (var service in services.Where(s => s.HasExited))
                throw new InvalidOperationException($"Service {service.Name} died during the demo; see {logs}/{service.Name}.log");
            return report;
        }
        finally
        {
            foreach (var service in services)
                await service.DisposeAsync();
        }
    }

    public static void Print(DemoReport report)
    {
        var table = new Table().AddColumns("phase", "images", "windows (expected)", "alerts", "alert rate");
        foreach (var phase in new[] { report.Clean, report.Attack })
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

    private ModelManifest EnsureModel(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(paths.DefaultModelDirectory, ModelStore.ManifestFileName)))
        {
            var cached = ModelStore.LoadManifest(paths.DefaultModelDirectory);
            AnsiConsole.MarkupLine($"Using the cached model in {paths.DefaultModelDirectory} (test accuracy {cached.TestAccuracy:P2}).");
            return cached;
        }

        AnsiConsole.MarkupLine("Training the model once (1 epoch of MNIST); later runs reuse it …");
        return TrainCommandProgress.Run(paths.MnistData, paths.DefaultModelDirectory, new TrainingOptions { Epochs = 1, Seed = 1 }, cancellationToken);
    }

    private (float[] Pixels, double SuccessRate) GenerateAttack(MnistDataset test, int attackStart)
    {
        var (model, _) = ModelStore.LoadSmallCnn(paths.DefaultModelDirectory);
        using (model)
        {
            model.eval();
            using var scope = NewDisposeScope();
            var images = test.ImagesTensor(attackStart, options.AttackImages);
            var labels = test.LabelsTensor(attackStart, options.AttackImages);
            var adversarial = Fgsm.Generate(model, images, labels, options.Epsilon);
            using var noGrad = no_grad();
            var cleanPredictions = model.forward(images).argmax(1);
            var attackPredictions = model.forward(adversarial).argmax(1);
            var correct = cleanPredictions.eq(labels);
            var flipped = correct.logical_and(attackPredictions.ne(labels));
            var success = flipped.sum().item<long>() / (double)Math.Max(1, correct.sum().item<long>());
            var pixels = new float[options.AttackImages * MnistDataset.PixelsPerImage];
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(adversarial.contiguous().bytes).CopyTo(pixels);
            return (pixels, success);
        }
    }

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

    private ServiceProcess Start(string name, Dictionary<string, string> common, string logs, Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>(common);
        foreach (var (key, value) in extra)
            environment[key] = value;
        return ServiceProcess.Start(name, paths.ServiceDll(name), FreePort.Next(), environment, logs);
    }
}
