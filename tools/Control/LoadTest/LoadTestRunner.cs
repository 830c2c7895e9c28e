using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Spectre.Console;
using Streaming.Control.Demo;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.Detection;
using Streaming.Lab.Data;
using Streaming.LocalStack;
using Streaming.Ml.Serving;

namespace Streaming.Control.LoadTest;

/// <summary>
/// Drives the embedded pipeline open-loop through phases of clean and attacked traffic (one stream per
/// phase, so windows are attributable) and reports rates, latencies, per-phase alert rates, consumer lag
/// and memory of every service. The traffic is images to the inference endpoint, or (<see cref="LoadSource.Events"/>)
/// activation events of recorded inputs to the activations topic or POST /v1/activations: the streaming path alone.
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
        var reference = sample.EnsureReference(paths.DefaultModelDirectory, test, paths.DefaultReferencePath, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
        var images = options.Source == LoadSource.Images ? PrepareImages(test, sample) : default;
        var generator = options.Source == LoadSource.Events ? PrepareEvents(test, sample, reference) : null;

        var settings = new PipelineSettings
        {
            ModelDirectory = paths.DefaultModelDirectory,
            ReferencePath = paths.DefaultReferencePath,
            WindowSize = options.WindowSize,
            WindowSlide = options.WindowSlide,
            Permutations = options.Permutations,
            Instances = options.Instances,
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
        using var announcements = new WindowAnnouncements(pipeline.KafkaOptions);
        using IActivationSink? sink = generator is null ? null
            : options.Transport == EventTransport.Kafka ? new KafkaActivationSink(pipeline.KafkaOptions)
            : new HttpActivationSink(http, pipeline.InferenceUrl);
        var probe = new ServiceProbe(http, pipeline.Services);
        var driver = new OpenLoopDriver();
        var random = new Random(options.Seed);
        var phaseStarts = new Dictionary<string, DateTimeOffset>();
        var phaseSeconds = new Dictionary<string, double>();
        var sentPerPhase = new Dictionary<string, long>();
        // Items delivered to each stream (a failed request delivered none), for the windows each should get.
        var sentPerStream = options.Phases.SelectMany(p => p.StreamsOf(options.Streams)).ToDictionary(s => s, _ => new StrongBox<long>());
        var total = Stopwatch.StartNew();
        var unit = Unit(options.Source);

        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(probe, driver, options.BatchSize, unit, sampling.Token);
        using var cpu = CpuBudget.Start(pipeline.Services.Select(s => (s.Name, s.ProcessId))
            .Append(("redis-server", pipeline.Redis.ProcessId))
            .Append(("control (generator, embedded Kafka, collectors)", Environment.ProcessId)));
        foreach (var phase in options.Phases)
        {
            phaseStarts[phase.Name] = DateTimeOffset.UtcNow;
            var before = driver.Sent - driver.Errors;
            var started = Stopwatch.StartNew();
            AnsiConsole.MarkupLine($"Phase [bold]{phase.Name}[/]: {phase.Rate:0} {unit}/s for {phase.Duration.TotalSeconds:0} s, attack share {phase.AttackShare:P0}");
            var streams = phase.StreamsOf(options.Streams);
            Func<long, CancellationToken, Task> send = async (index, ct) =>
            {
                var stream = streams[(int)(index % streams.Count)];
                await (generator is null
                    ? PostImagesAsync(http, pipeline.InferenceUrl, Request(phase, stream, images.Clean, images.Attacked, random), ct)
                    : sink!.SendAsync(generator.Next(stream, phase.AttackShare, options.BatchSize), ct));
                Interlocked.Add(ref sentPerStream[stream].Value, options.BatchSize);
            };
            await driver.RunAsync(phase.Duration, phase.Rate, options.BatchSize, send, cancellationToken);
            // Failed requests delivered nothing (a Kafka batch may have delivered part of its events: counted as none).
            sentPerPhase[phase.Name] = (driver.Sent - driver.Errors - before) * options.BatchSize;
            phaseSeconds[phase.Name] = started.Elapsed.TotalSeconds;
        }

        var sendSeconds = total.Elapsed.TotalSeconds;
        var drainEnds = DateTime.UtcNow + options.DrainTimeout;
        foreach (var phase in options.Phases)
        {
            foreach (var stream in phase.StreamsOf(options.Streams))
            {
                var expected = Streaming.WindowStore.CountWindowRule.ExpectedCount(sentPerStream[stream].Value, options.WindowSize, options.WindowSlide);
                var left = drainEnds - DateTime.UtcNow;
                if (!await collector.WaitForWindowsAsync(stream, expected, left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken))
                    AnsiConsole.MarkupLine($"[yellow]Phase {phase.Name}, stream {stream}: {collector.CountsFor(stream).Windows} of {expected} windows tested within the drain timeout of {options.DrainTimeout.TotalSeconds:0} s.[/]");
            }
        }

        var delivered = (driver.Sent - driver.Errors) * options.BatchSize;
        var cpuUsed = cpu.Stop(delivered);
        await sampling.CancelAsync();
        await sampler;
        await probe.SampleAsync(cancellationToken);
        pipeline.EnsureServicesAlive();

        var phases = options.Phases.Select(p =>
        {
            var streams = p.StreamsOf(options.Streams);
            var perStream = streams.Select(collector.CountsFor).ToList();
            var counts = new StreamCounts(perStream.Sum(c => c.Windows), perStream.Sum(c => c.Alerts));
            var timings = streams.SelectMany(collector.Timings).ToList();
            var latency = WebhookLatencies.Summarize(timings.Select(t => t.TotalMs).ToList());
            var first = streams.Select(collector.FirstAlert).Min();
            var sent = sentPerPhase[p.Name];
            var covered = streams.Zip(perStream, (s, c) => PhaseResult.Covered(sentPerStream[s].Value, c.Windows, options.WindowSize, options.WindowSlide)).Sum();
            var processed = streams.Select(collector.LastDetection).Max() is { } last && last > phaseStarts[p.Name] ? covered / (last - phaseStarts[p.Name]).TotalSeconds : 0;
            return new PhaseResult(p.Name, p.Stream, p.Rate, p.AttackShare, sent, sent / phaseSeconds[p.Name], processed, counts.Windows, counts.Alerts,
                counts.Windows == 0 ? 0 : counts.Alerts / (double)counts.Windows, latency.P50, latency.P99,
                p.AttackShare > 0 && first is { } at ? (at - phaseStarts[p.Name]).TotalMilliseconds : null,
                LatencyBreakdown.Of(timings, announcements.Find), LatencyBreakdown.SlowestAtSeconds(timings, phaseStarts[p.Name], 5));
        }).ToList();
        if (options.TimelinePath is { } timelinePath)
            WriteTimeline(timelinePath, collector, announcements, phaseStarts[options.Phases[0].Name]);

        var allStreams = options.Phases.SelectMany(p => p.StreamsOf(options.Streams)).ToList();
        var lastDetection = allStreams.Select(collector.LastDetection).Max();
        var coveredTotal = allStreams.Sum(s => PhaseResult.Covered(sentPerStream[s].Value, collector.CountsFor(s).Windows, options.WindowSize, options.WindowSlide));
        var firstStart = phaseStarts[options.Phases[0].Name];
        var sustained = lastDetection is { } end && end > firstStart ? coveredTotal / (end - firstStart).TotalSeconds : 0;
        double? eventBytes = generator is null ? null : generator.Next(options.Phases[0].Stream, 0, 64).Average(e => (double)e.CalculateSize());
        return new LoadTestReport(options.Source, sendSeconds, delivered, delivered / sendSeconds, driver.Errors, driver.Skipped,
            driver.Latency(), sustained, phases, probe.MaxLag, probe.MaxRssMb, ceiling?.Item1, ceiling?.Item2, eventBytes, cpuUsed, probe.SkippedByReset);
    }

    public static void Print(LoadTestReport report)
    {
        var unit = Unit(report.Source);
        AnsiConsole.MarkupLine($"Sent {report.Sent} {unit} in {report.DurationSeconds:0.0} s: {report.AchievedRate:0.0} {unit}/s; errors {report.Errors}, skipped requests {report.SkippedRequests}"
            + (report.MeanEventBytes is { } bytes ? $"; {bytes:0} bytes per event" : ""));
        AnsiConsole.MarkupLine($"{(report.Source == LoadSource.Images ? "Inference" : "Send")} latency (from schedule): p50 {report.SendLatencyMs.P50:0.0} ms, p95 {report.SendLatencyMs.P95:0.0} ms, p99 {report.SendLatencyMs.P99:0.0} ms");
        // One line per phase rather than a table: a table of this many columns is cut to "…" in an 80-column log.
        foreach (var p in report.Phases)
        {
            AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"Phase {p.Name}: offered {p.OfferedRate:0}/s, sent {p.SentRate:0}/s, processed {p.ProcessedRate:0}/s; attack share {p.AttackShare:P0}; windows {p.Windows}, alerts {p.Alerts} ({p.AlertRate:P1}); detection latency p50 {p.DetectionLatencyP50Ms:0} ms, p99 {p.DetectionLatencyP99Ms:0} ms")
                + (p.TimeToFirstAlertMs is { } first ? FormattableString.Invariant($"; first alert {first:0} ms after the phase began") : "")));
            if (p.Stages.Count > 0)
                AnsiConsole.MarkupLine(Markup.Escape("  stages p50 / p99 / mean of the slowest 1 % (ms): "
                    + string.Join(", ", p.Stages.Select(s => FormattableString.Invariant($"{s.Stage} {s.P50Ms:0} / {s.P99Ms:0} / {s.SlowestMeanMs:0}")))
                    + "; slowest windows completed at " + string.Join(", ", p.SlowestAtSeconds.Select(t => FormattableString.Invariant($"{t:0.0}"))) + " s into the phase"));
        }

        AnsiConsole.MarkupLine($"Sustained (windowed and tested, first phase start to last detection): {report.SustainedRate:0.0} {unit}/s"
            + (report.SustainedToKafkaConsumeRatio is { } ratio ? $" = {ratio:P1} of the raw Kafka consume rate ({report.KafkaCeilingConsumePerSecond:0} msg/s; produce {report.KafkaCeilingProducePerSecond:0} msg/s)" : ""));
        AnsiConsole.MarkupLine("Max consumer lag: " + string.Join(", ", report.MaxConsumerLag.Select(kv => $"{kv.Key} {kv.Value}")));
        if (report.SkippedByReset is { Count: > 0 } skipped)
            AnsiConsole.MarkupLine("[red]" + Markup.Escape("Messages skipped after offset resets (the broker dropped them before the service read them; never handled): "
                + string.Join(", ", skipped.Select(kv => $"{kv.Key} {kv.Value}"))) + "[/]");
        AnsiConsole.MarkupLine("Max RSS: " + string.Join(", ", report.MaxRssMb.Select(kv => $"{kv.Key} {kv.Value:0} MB")));
        if (report.Cpu is { } cpu)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"CPU per {unit[..^1]} (first phase start to the last window tested): "
                + string.Join(", ", cpu.Processes.Select(p => p.MicrosPerEvent is { } us ? FormattableString.Invariant($"{p.Name} {us:0} us") : $"{p.Name} (restarted)"))
                + FormattableString.Invariant($"; the machine (every process on it) {cpu.MachineMicrosPerEvent:0} us, busy {cpu.MachineBusyShare:P0} of its {cpu.Cores} cores")
                + (cpu.MachineCeiling is { } most ? FormattableString.Invariant($": at most {most:0} {unit}/s here at that cost") : "")));
        }
    }

    /// <summary>Writes the window timeline; a path that cannot be written costs a warning, not the run's report.</summary>
    private void WriteTimeline(string path, DetectionCollector collector, WindowAnnouncements announcements, DateTimeOffset origin)
    {
        var streams = options.Phases.SelectMany(p => p.StreamsOf(options.Streams)).Append(Contracts.WindowScopes.ModelWideStreamId);
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
                Directory.CreateDirectory(folder);
            LatencyBreakdown.WriteTimeline(path, streams.Select(s => (s, collector.Timings(s))), announcements.Find, origin);
            AnsiConsole.MarkupLine(Markup.Escape($"Window timeline written to {path}"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape($"--timeline: {path} could not be written ({ex.Message}); the report follows.")}[/]");
        }
    }

    private static string Unit(LoadSource source) => source == LoadSource.Images ? "images" : "events";

    /// <summary>The clean pool and its attacked twin (pixels) of the images source.</summary>
    private (float[] Clean, float[] Attacked) PrepareImages(MnistDataset test, CleanSample sample)
    {
        var traffic = sample.TrafficImages(test, 2 * PoolSize);
        var clean = traffic.Pixels.AsSpan(0, PoolSize * MnistDataset.PixelsPerImage).ToArray();
        var (attacked, _) = ModelCache.Attack(paths, traffic, PoolSize, PoolSize, options.Attack, options.Epsilon);
        return (clean, attacked);
    }

    /// <summary>
    /// The events source: clean rows from the reference file's held-out calibration split; attacked rows (only
    /// when a phase sends any) recorded from the model on attacked traffic images, as the inference service would.
    /// </summary>
    private ActivationEventGenerator PrepareEvents(MnistDataset test, CleanSample sample, ReferenceSet reference)
    {
        var clean = ActivationPool.FromReference(reference);
        ActivationPool? attacked = null;
        if (options.Phases.Any(p => p.AttackShare > 0))
        {
            var traffic = sample.TrafficImages(test, PoolSize);
            var (pixels, _) = ModelCache.Attack(paths, traffic, 0, PoolSize, options.Attack, options.Epsilon);
            using var runner = ModelRunner.Load(paths.DefaultModelDirectory);
            var (byLayer, labels) = ModelWorkshop.Capture(runner, MnistDataset.FromArrays(pixels, traffic.Labels), [.. Enumerable.Range(0, PoolSize)]);
            attacked = ActivationPool.FromCapture(clean.Layers, byLayer, labels);
        }

        AnsiConsole.MarkupLine(Markup.Escape($"Events of {reference.Model} {reference.ModelVersion}: {clean.Count} clean rows from {paths.DefaultReferencePath}"
            + (attacked is null ? "" : $", {attacked.Count} rows recorded from {options.Attack} (epsilon {options.Epsilon.ToString(CultureInfo.InvariantCulture)}) images")
            + $"; layers {string.Join(", ", clean.Layers.Zip(clean.Dimensions, (l, d) => $"{l}[{d}]"))}."));
        var attributes = new Dictionary<string, string> { ["attack"] = options.Attack, ["epsilon"] = options.Epsilon.ToString(CultureInfo.InvariantCulture) };
        return new ActivationEventGenerator(reference.Model, reference.ModelVersion, clean, attacked, attributes, options.Seed, TimeProvider.System);
    }

    private static async Task PostImagesAsync(HttpClient http, Uri inference, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(inference, "/v1/predict"), body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private object Request(LoadPhase phase, string stream, float[] clean, float[] attacked, Random random)
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
        return new { streamId = stream, images, attributes };
    }

    private static async Task SampleAsync(ServiceProbe probe, OpenLoopDriver driver, int batch, string unit, CancellationToken cancellationToken)
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
            AnsiConsole.MarkupLine($"[grey]  {(sent - last) * batch / 2.0:0.0} {unit}/s, errors {driver.Errors}, lag {string.Join(' ', probe.MaxLag.Select(kv => $"{kv.Key}={kv.Value}"))}[/]");
            last = sent;
        }
    }
}
