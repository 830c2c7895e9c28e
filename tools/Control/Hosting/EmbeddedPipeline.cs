using System.Globalization;
using Spectre.Console;
using Streaming.Control.References;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.LocalStack.Servers;
using Streaming.LocalStack.Webhooks;
using Streaming.Messaging;
using Streaming.ReferenceRegistry;

namespace Streaming.Control.Hosting;

/// <summary>
/// The whole pipeline on embedded defaults: librdkafka's mock cluster (hosted in this process),
/// a redis-server, a private rabbitmq-server (Alerting's durable delivery queue), a local webhook
/// receiver and the four services (and, when asked, the web console) as separate processes. Disposing stops everything it started.
/// </summary>
public sealed class EmbeddedPipeline : IAsyncDisposable
{
    private readonly List<ServiceProcess> _services = [];

    private EmbeddedPipeline(MockKafkaCluster kafka, RedisServerProcess redis, RabbitMqServerProcess rabbitMq, WebhookReceiver receiver)
    {
        Kafka = kafka;
        Redis = redis;
        RabbitMq = rabbitMq;
        Receiver = receiver;
        KafkaOptions = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 };
    }

    public MockKafkaCluster Kafka { get; }

    public RedisServerProcess Redis { get; }

    public RabbitMqServerProcess RabbitMq { get; }

    public WebhookReceiver Receiver { get; }

    public KafkaOptions KafkaOptions { get; }

    public IReadOnlyList<ServiceProcess> Services => _services;

    public Uri InferenceUrl => _services.Single(s => s.Name == "Inference").BaseAddress;

    /// <summary>Every Inference instance's address, in the order of <see cref="PipelineSettings.ModelDirectory"/> then <see cref="PipelineSettings.MoreModelDirectories"/>.</summary>
    public IReadOnlyList<Uri> InferenceUrls => [.. _services.Where(s => s.Name == "Inference" || s.Name.StartsWith("Inference-", StringComparison.Ordinal)).Select(s => s.BaseAddress)];

    /// <summary>The web console's address; null unless <see cref="PipelineSettings.WithConsole"/>.</summary>
    public Uri? ConsoleUrl => _services.SingleOrDefault(s => s.Name == "Console")?.BaseAddress;

    public static async Task<EmbeddedPipeline> StartAsync(RepoPaths paths, PipelineSettings settings, CancellationToken cancellationToken)
    {
        var kafka = MockKafkaCluster.Start();
        RedisServerProcess? redis = null;
        WebhookReceiver? receiver = null;
        // RabbitMQ takes 6-10 s to boot: start it first and let it boot while the rest starts.
        var rabbitStart = RabbitMqServerProcess.StartAsync(cancellationToken);
        RabbitMqServerProcess rabbitMq;
        try
        {
            KafkaTopology.CreateAll(kafka);
            redis = await RedisServerProcess.StartAsync(cancellationToken);
            receiver = await WebhookReceiver.StartAsync(cancellationToken: cancellationToken);
            rabbitMq = await rabbitStart;
        }
        catch
        {
            try
            {
                await (await rabbitStart).DisposeAsync();
            }
            catch (Exception)
            {
                // It failed to start (perhaps the very failure being reported); nothing to stop.
            }

            if (receiver is not null) await receiver.DisposeAsync();
            if (redis is not null) await redis.DisposeAsync();
            kafka.Dispose();
            throw;
        }

        var pipeline = new EmbeddedPipeline(kafka, redis, rabbitMq, receiver);
        try
        {
            await pipeline.PublishReferencesAsync(settings.RegistryReferences, cancellationToken);
            await pipeline.StartServicesAsync(paths, settings, cancellationToken);
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }

        AnsiConsole.MarkupLine($"Embedded Kafka (librdkafka mock cluster) at [green]{kafka.BootstrapServers}[/], Redis at [green]{redis.ConnectionString}[/], RabbitMQ at [green]{rabbitMq.Host}:{rabbitMq.Port}[/], webhook receiver at [green]{receiver.Url}[/]; services up ([grey]logs in {settings.LogDirectory}[/]).");
        return pipeline;
    }

    /// <summary>Throws if a service died (its log says why).</summary>
    public void EnsureServicesAlive()
    {
        foreach (var service in _services.Where(s => s.HasExited))
            throw new InvalidOperationException($"Service {service.Name} died; see {service.LogPath}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
            await service.DisposeAsync();
        await Receiver.DisposeAsync();
        await RabbitMq.DisposeAsync();
        await Redis.DisposeAsync();
        Kafka.Dispose();
    }

    /// <summary>Publishes and activates each file in the registry (default key prefix) before the Detector starts, so its first windows find them.</summary>
    private async Task PublishReferencesAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0) return;
        await using var registry = await RegistryConnection.OpenAsync(Redis.ConnectionString, ReferenceKeys.DefaultPrefix, cancellationToken);
        foreach (var file in files)
        {
            var published = await ReferencesCommand.Publish(registry.Store, await File.ReadAllBytesAsync(file, cancellationToken), "", activate: true, allowLayerChange: false, cancellationToken);
            AnsiConsole.MarkupLine($"Published and activated reference [green]{Markup.Escape(published.Id)}[/] ({Markup.Escape(published.Model)} {Markup.Escape(published.Version)}) in the registry.");
        }
    }

    private async Task StartServicesAsync(RepoPaths paths, PipelineSettings settings, CancellationToken cancellationToken)
    {
        var common = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = Kafka.BootstrapServers,
            ["Kafka__SessionTimeoutMs"] = KafkaOptions.SessionTimeoutMs.ToString(CultureInfo.InvariantCulture),
            ["Kafka__HeartbeatIntervalMs"] = KafkaOptions.HeartbeatIntervalMs.ToString(CultureInfo.InvariantCulture),
            ["Redis__ConnectionString"] = Redis.ConnectionString,
            ["WindowStore__Size"] = settings.WindowSize.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__Slide"] = settings.WindowSlide.ToString(CultureInfo.InvariantCulture),
            // The model-wide windows (on by default) take the same shape as the stream windows here.
            ["WindowStore__ModelWide__Size"] = settings.WindowSize.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__ModelWide__Slide"] = settings.WindowSlide.ToString(CultureInfo.InvariantCulture),
            // libtorch reads its intra-op thread count from OMP_NUM_THREADS. Inference and Detector
            // share this machine's cores; one thread each avoids the 3-10x slowdown measured when
            // two processes each spin two threads on two cores.
            ["OMP_NUM_THREADS"] = settings.TorchThreads.ToString(CultureInfo.InvariantCulture),
        };
        // One Inference instance per model: the first keeps the plain name, further ones are numbered (Inference-2).
        string[] models = [settings.ModelDirectory, .. settings.MoreModelDirectories];
        for (var model = 0; model < models.Length; model++)
        {
            var inference = new Dictionary<string, string> { ["Inference__ModelDirectory"] = models[model] };
            if (settings.WithConsole)
                inference["Inference__CaptureInputs__Enabled"] = "true";
            Start(paths, "Inference", model + 1, common, settings, inference);
        }

        // In registry mode appsettings.json's file path (the compose layout, absent here) stays set and is ignored.
        var reference = settings.RegistryReferences.Count > 0
            ? new Dictionary<string, string> { ["Detector__ReferenceSource"] = "registry" }
            : new Dictionary<string, string> { ["Detector__ReferencePath"] = settings.ReferencePath };
        // The first instance of each keeps the plain name ("Detector"), further ones are numbered ("Detector-2").
        for (var instance = 1; instance <= settings.Instances; instance++)
        {
            Start(paths, "Windowing", instance, common, settings, []);
            Start(paths, "Detector", instance, common, settings, new(reference)
            {
                ["Detector__Permutations"] = settings.Permutations.ToString(CultureInfo.InvariantCulture),
                ["Detector__Alpha"] = settings.Alpha.ToString(CultureInfo.InvariantCulture),
            });
            Start(paths, "Alerting", instance, common, settings, LocalAlertingSettings.Environment(Receiver, RabbitMq));
        }

        if (settings.WithConsole)
            Start(paths, "Console", 1, common, settings, [], settings.ConsolePort == 0 ? null : settings.ConsolePort);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var service in _services)
            await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), cancellationToken);
    }

    private void Start(RepoPaths paths, string name, int instance, Dictionary<string, string> common, PipelineSettings settings, Dictionary<string, string> extra, int? port = null)
    {
        var environment = new Dictionary<string, string>(common);
        foreach (var (key, value) in extra)
            environment[key] = value;
        var instanceName = instance == 1 ? name : $"{name}-{instance}";
        _services.Add(ServiceProcess.Start(instanceName, paths.ServiceDll(name), environment, settings.LogDirectory, port));
    }
}
