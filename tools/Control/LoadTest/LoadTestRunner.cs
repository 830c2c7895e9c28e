using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Streaming.Control.Demo;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.Lab.Data;
using Streaming.LocalStack;

namespace Streaming.Control.LoadTest;

/// <summary>
/// Drives the embedded pipeline's inference endpoint open-loop through phases of clean and attacked
/// traffic (one stream per phase, so windows are attributable) and reports rates, latencies, per-phase
/// alert rates, consumer lag and memory of every service.
/// </summary>
public sealed class LoadTestRunner(RepoPaths paths, LoadTestOptions options)
{
    private const int PoolSize = 2000;

    public async Task<LoadTestReport> RunAsync(CancellationToken cancellationToken)
    {
        if (options.Phases.Count == 0) throw new ArgumentException("At least one phase is needed.");
        ModelCache.Ensure(paths, cancellationToken);
        var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
        // The default seeded reference sample (as `control calibrate` draws it); the clean pool and the images the
        // attacked pool is made from are the next test images of its shuffle: disjoint from the reference, same population.
        var sample = CleanSample.Draw(test.Count);
        sample.EnsureReference(paths.DefaultModelDirectory, test, paths.DefaultReferencePath, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
        var traffic = sample.TrafficImages(test, 2 * PoolSize);
        var clean = traffic.Pixels.AsSpan(0, PoolSize * MnistDataset.PixelsPerImage).ToArray();
        var (attacked, _) = ModelCache.Attack(paths, traffic, PoolSize, PoolSize, options.Attack, options.Epsilon);

        var settings = new PipelineSettings
        {
            ModelDirectory = paths.DefaultModelDirectory,
            ReferencePath = paths.DefaultReferencePath,
            WindowSize = options.WindowSize,
            WindowSlide = options.WindowSlide,
            Permutations = options.Permutations,
            LogDirectory = Path.Combine(paths.Artifacts, "loadtest", "logs"),
        };
        await using var pipeline = await EmbeddedPipeline.StartAsync(paths, settings, cancellationToken);
        (double, double)? ceiling = null;
        if (options.MeasureKafkaCeiling)
        {
            ceiling = KafkaCeiling.Measure(pipeline.Kafka);
            AnsiConsole.MarkupLine($"Kafka ceiling (2 KB messages, same broker): produce {ceiling.Value.Item1:0} msg/s, consume {ceiling.Value.Item2:0} msg/s");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var collector = new DetectionCollector(pipeline.KafkaOptions, Contracts.Topics.Detections);
        var probe = new ServiceProbe(http, pipeline.Services);
        var driver = new OpenLoopDriver(http, pipeline.InferenceUrl);
        var random = new Random(options.Seed);
        var phaseStarts = new Dictionary<string, DateTimeOffset>();
        var sentPerPhase = new Dictionary<string, long>();
        var total = Stopwatch.StartNew();

        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(probe, driver, sampling.Token);
        foreach (var phase in options.Phases)
        {
            phaseStarts[phase.Name] = DateTimeOffset.UtcNow;
            var before = driver.Sent;
            AnsiConsole.MarkupLine($"Phase [bold]{phase.Name}[/]: {phase.Rate:0} images/s for {phase.Duration.TotalSeconds:0} s, attack share {phase.AttackShare:P0}");
            await driver.RunAsync(phase.Duration, phase.Rate, options.BatchSize, _ => Request(phase, clean, attacked, random), cancellationToken);
            sentPerPhase[phase.Name] = (driver.Sent - before) * options.BatchSize;
        }

        var sendSeconds = total.Elapsed.TotalSeconds;
        foreach (var phase in options.Phases)
        {
            var expected = Streaming.Windows.CountWindowRule.ExpectedCount(sentPerPhase[phase.Name], options.WindowSize, options.WindowSlide);
            await collector.WaitForWindowsAsync(phase.Stream, expected, options.DrainTimeout, cancellationToken);
        }

        await sampling.CancelAsync();
        await sampler;
        await probe.SampleAsync(cancellationToken);
        pipeline.EnsureServicesAlive();

        var phases = options.Phases.Select(p =>
        {
            var counts = collector.CountsFor(p.Stream);
            var latency = WebhookLatencies.Summarize(collector.DetectionLatenciesMs(p.Stream));
            var first = collector.FirstAlert(p.Stream);
            return new PhaseResult(p.Name, p.Stream, p.Rate, p.AttackShare, counts.Windows, counts.Alerts,
                counts.Windows == 0 ? 0 : counts.Alerts / (double)counts.Windows, latency.P50, latency.P99,
                p.AttackShare > 0 && first is { } at ? (at - phaseStarts[p.Name]).TotalMilliseconds : null);
        }).ToList();
        return new LoadTestReport(sendSeconds, driver.Sent * options.BatchSize, driver.Sent * options.BatchSize / sendSeconds, driver.Errors, driver.Skipped,
            driver.Latency(), phases, probe.MaxLag, probe.MaxRssMb, ceiling?.Item1, ceiling?.Item2);
    }

    public static void Print(LoadTestReport report)
    {
        AnsiConsole.MarkupLine($"Sent {report.ImagesSent} images in {report.DurationSeconds:0.0} s: {report.AchievedRate:0.0} images/s; errors {report.Errors}, skipped requests {report.SkippedRequests}");
        AnsiConsole.MarkupLine($"Inference latency (from schedule): p50 {report.InferenceLatencyMs.P50:0.0} ms, p95 {report.InferenceLatencyMs.P95:0.0} ms, p99 {report.InferenceLatencyMs.P99:0.0} ms");
        var table = new Table().AddColumns("phase", "rate", "attack share", "windows", "alerts", "alert rate", "detection p50 ms", "detection p99 ms", "first alert after ms");
        foreach (var p in report.Phases)
            table.AddRow(p.Name, p.OfferedRate.ToString("0", CultureInfo.InvariantCulture), p.AttackShare.ToString("P0", CultureInfo.InvariantCulture), p.Windows.ToString(CultureInfo.InvariantCulture), p.Alerts.ToString(CultureInfo.InvariantCulture),
                p.AlertRate.ToString("P1", CultureInfo.InvariantCulture), p.DetectionLatencyP50Ms.ToString("0", CultureInfo.InvariantCulture), p.DetectionLatencyP99Ms.ToString("0", CultureInfo.InvariantCulture), p.TimeToFirstAlertMs?.ToString("0", CultureInfo.InvariantCulture) ?? "-");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Max consumer lag: " + string.Join(", ", report.MaxConsumerLag.Select(kv => $"{kv.Key} {kv.Value}")));
        AnsiConsole.MarkupLine("Max RSS: " + string.Join(", ", report.MaxRssMb.Select(kv => $"{kv.Key} {kv.Value:0} MB")));
    }

    private object Request(LoadPhase phase, float[] clean, float[] attacked, Random random)
    {
        bool attack;
        int first;
        lock (random)
        {
            attack = random.NextDouble() < phase.AttackShare;
            first = random.Next(PoolSize - options.BatchSize);
        }

        var pool = attack ? attacked : clean;
        var images = new float[options.BatchSize][];
        for (var i = 0; i < images.Length; i++)
            images[i] = pool.AsSpan((first + i) * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage).ToArray();
        var attributes = attack
            ? new Dictionary<string, string> { ["attack"] = options.Attack, ["epsilon"] = options.Epsilon.ToString(CultureInfo.InvariantCulture) }
            : new Dictionary<string, string> { ["attack"] = "none" };
        return new { streamId = phase.Stream, images, attributes };
    }

    private static async Task SampleAsync(ServiceProbe probe, OpenLoopDriver driver, CancellationToken cancellationToken)
    {
        long last = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                await probe.SampleAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var sent = driver.Sent;
            AnsiConsole.MarkupLine($"[grey]  {(sent - last) / 2.0:0.0} req/s, errors {driver.Errors}, lag {string.Join(' ', probe.MaxLag.Select(kv => $"{kv.Key}={kv.Value}"))}[/]");
            last = sent;
        }
    }
}
