using System.Globalization;
using Spectre.Console;
using Streaming.Control.Cli;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.Lab.Data;
using Streaming.LocalStack;
using Streaming.Messaging;
using Streaming.Ml.Persistence;

namespace Streaming.Control.RedTeam;

/// <summary>
/// Runs the red-team strategies one after another against the embedded pipeline (librdkafka's mock cluster,
/// redis-server, rabbitmq-server and the four services as processes) or a running one, waits after each for
/// its windows, and scores every strategy against the ground truth it sent.
/// </summary>
public sealed class RedTeamRunner(RepoPaths paths, RedTeamOptions options, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public async Task<RedTeamReport> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var strategies = options.Expand();
        var shape = options.Shape;
        var began = time.GetTimestamp();
        using var http = HttpReachability.CreateClient(TimeSpan.FromSeconds(60));
        if (options.Target is { } target)
        {
            // Fail on an unreachable pipeline before generating attacks, which takes a while.
            KafkaReachability.Ensure(target.BootstrapServers, "--bootstrap");
            await HttpReachability.EnsureAsync(http, target.InferenceUrl, "--url", cancellationToken);
        }

        var modelDirectory = options.ModelDirectory ?? paths.DefaultModelDirectory;
        if (options.ModelDirectory is null) ModelCache.Ensure(paths, cancellationToken);
        var manifest = ModelStore.LoadManifest(modelDirectory);
        var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
        // Traffic comes from the test images outside the default reference sample, which the embedded pipeline is
        // calibrated on (and a running one is when it was calibrated by `control calibrate` with its defaults).
        var sample = CleanSample.Draw(test.Count);
        var pools = ImagePools.Build(modelDirectory, sample.TrafficImages(test, ImagePools.TrafficCount), AdversarialNeeds(strategies, shape), options.Seed, line => AnsiConsole.MarkupLine(Markup.Escape(line)));

        var runId = Guid.NewGuid().ToString("N")[..8];
        var runPrefix = $"redteam-{runId}-";
        EmbeddedPipeline? pipeline = null;
        try
        {
            KafkaOptions kafka;
            Uri inference;
            string? apiKey = null;
            string description;
            if (options.Target is { } remote)
            {
                kafka = new KafkaOptions { BootstrapServers = remote.BootstrapServers };
                inference = remote.InferenceUrl;
                apiKey = remote.ApiKey;
                description = $"the pipeline at {remote.InferenceUrl} (Kafka {remote.BootstrapServers})";
            }
            else
            {
                pipeline = await StartEmbeddedAsync(modelDirectory, test, sample, cancellationToken);
                kafka = pipeline.KafkaOptions;
                inference = pipeline.InferenceUrl;
                description = "the embedded pipeline";
            }

            using var observer = new RedTeamObserver(kafka, runPrefix, options.ClockTolerance, time);
            var sender = new RedTeamSender(http, inference, apiKey, time);
            var runs = new List<StrategyRun>();
            for (var i = 0; i < strategies.Count; i++)
            {
                var strategy = strategies[i];
                var plan = StrategyPlanner.Plan(strategy, shape, string.Create(CultureInfo.InvariantCulture, $"{runPrefix}{i:D2}-{strategy.Slug}"), options.Seed + i,
                    pools.Count(null), strategy.Attack is null ? 1 : pools.Count(strategy.Attack));
                var sent = await SendAsync(sender, plan, strategy, pools, cancellationToken);
                var run = new StrategyRun(strategy, runPrefix, sent, plan.ExpectedStreamWindows(shape));
                await DrainAsync(run, observer, cancellationToken);
                pipeline?.EnsureServicesAlive();
                runs.Add(run);
            }

            var windows = observer.Windows();
            var alerts = observer.Alerts();
            if (observer.Malformed > 0)
                AnsiConsole.MarkupLine($"[yellow]{observer.Malformed} detections or alerts could not be read and were left out.[/]");
            var truth = runs.SelectMany(r => r.Sent).ToDictionary(e => e.EventId, StringComparer.Ordinal);
            var results = runs.Select(r => StrategyMetrics.Compute(r, windows, alerts, truth, options.ClockTolerance)).ToList();
            var settings = new RedTeamSettings(description, $"{manifest.Name} {manifest.Version}", options.WindowSize, options.WindowSlide,
                options.Target is null ? options.Permutations : null, options.Target is null ? options.Alpha : null, options.Rate, options.BatchSize, options.Seed);
            var attacks = pools.Adversarial.Select(p => new PoolSummary(p.Attack, p.Epsilon, p.Count, p.SuccessRate)).ToList();
            return new RedTeamReport(runId, settings, attacks, results, time.GetElapsedTime(began).TotalSeconds);
        }
        finally
        {
            if (pipeline is not null) await pipeline.DisposeAsync();
        }
    }

    /// <summary>Per attack: its budget and the most adversarial images one strategy sends (a pool that large, within the cap).</summary>
    private Dictionary<string, (double? Epsilon, int Count)> AdversarialNeeds(IReadOnlyList<RedTeamStrategy> strategies, TrafficShape shape) =>
        strategies.Select((s, i) => (Strategy: s, Seed: options.Seed + i))
            .Where(x => x.Strategy.Attack is not null)
            .Select(x => (x.Strategy, Plan: StrategyPlanner.Plan(x.Strategy, shape, "plan", x.Seed, ImagePools.CleanCount, ImagePools.MaxAdversarial)))
            .GroupBy(x => x.Strategy.Attack!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.First().Strategy.Epsilon, g.Max(x => x.Plan.AdversarialImages)), StringComparer.Ordinal);

    private async Task<EmbeddedPipeline> StartEmbeddedAsync(string modelDirectory, MnistDataset test, CleanSample sample, CancellationToken cancellationToken)
    {
        var referencePath = Path.Combine(modelDirectory, "reference.bin");
        sample.EnsureReference(modelDirectory, test, referencePath, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
        var settings = new PipelineSettings
        {
            ModelDirectory = modelDirectory,
            ReferencePath = referencePath,
            WindowSize = options.WindowSize,
            WindowSlide = options.WindowSlide,
            Permutations = options.Permutations,
            Alpha = options.Alpha,
            LogDirectory = Path.Combine(paths.Artifacts, "redteam", "logs"),
        };
        return await EmbeddedPipeline.StartAsync(paths, settings, cancellationToken);
    }

    private async Task<IReadOnlyList<SentEvent>> SendAsync(RedTeamSender sender, StrategyPlan plan, RedTeamStrategy strategy, ImagePools pools, CancellationToken cancellationToken)
    {
        IReadOnlyList<SentEvent> sent = [];
        var streams = plan.EventsPerStream.Count;
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask(Markup.Escape($"{strategy.Name}: {plan.AdversarialImages} adversarial of {plan.Images} images on {streams} stream(s)"), maxValue: plan.Images);
            sent = await sender.SendAsync(plan, strategy, pools, options.Rate, new Progress<int>(n => task.Value = n), cancellationToken);
            task.Value = plan.Images;
        });
        return sent;
    }

    /// <summary>
    /// Waits until the strategy's streams have all their windows, every alerting window its alert, and nothing of
    /// the strategy arrived for <see cref="RedTeamOptions.Quiet"/> (model-wide windows), at most
    /// <see cref="RedTeamOptions.DrainTimeout"/>.
    /// </summary>
    private async Task DrainAsync(StrategyRun run, RedTeamObserver observer, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.DrainTimeout;
        var tolerance = options.ClockTolerance;
        while (true)
        {
            var now = time.GetUtcNow();
            var windows = observer.Windows().Where(w => StrategyMetrics.Belongs(run, w.Stream, w.LastEventAt, tolerance)).ToList();
            var alerts = observer.Alerts().Where(a => StrategyMetrics.Belongs(run, a.Stream, a.LastEventAt, tolerance)).ToList();
            var own = windows.Count(w => run.Streams.Contains(w.Stream));
            var alerted = windows.Where(w => w.Alert).Select(w => w.WindowId).ToHashSet(StringComparer.Ordinal);
            alerted.ExceptWith(alerts.Select(a => a.WindowId));
            var last = windows.Select(w => w.ArrivedAt).Concat(alerts.Select(a => a.ArrivedAt)).Append(run.LastSentAt ?? now).Max();
            if (own >= run.ExpectedStreamWindows && alerted.Count == 0 && now - last >= options.Quiet)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"  {run.Strategy.Name}: {windows.Count} windows tested, {windows.Count(w => w.Alert)} alerts"));
                return;
            }

            if (now >= deadline)
            {
                AnsiConsole.MarkupLine("[yellow]" + Markup.Escape($"  {run.Strategy.Name}: after {options.DrainTimeout.TotalSeconds:0} s, {own} of {run.ExpectedStreamWindows} windows of its streams tested and {alerted.Count} alerts missing; scoring what arrived.") + "[/]");
                return;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }
}
