using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.LocalStack.Servers;
using Streaming.LocalStack.Webhooks;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// One or more instances each of Windowing, the Detector and (unless left out) Alerting as real
/// processes in their consumer groups, on a fresh embedded Kafka and redis-server (and
/// rabbitmq-server, alerting a local webhook receiver); the Detector tests against the synthetic
/// reference (see <see cref="SyntheticActivations"/>). Logs go to .artifacts/test-logs/&lt;name&gt;,
/// one file per instance and start.
/// </summary>
internal sealed class ServicePipeline : IAsyncDisposable
{
    private readonly string[] _services;
    private readonly Dictionary<string, List<ServiceProcess>> _instances;
    private readonly RedisServerProcess _redis;
    private readonly RabbitMqServerProcess? _rabbitMq;
    private readonly WebhookReceiver? _receiver;
    private readonly string _referencePath;
    private readonly Dictionary<string, string> _environment;
    private readonly string _logs;
    private readonly HttpClient _http = new();
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly List<ServiceProcess> _extras = [];
    private int _starts;

    private ServicePipeline(MockKafkaCluster kafka, RedisServerProcess redis, RabbitMqServerProcess? rabbitMq, WebhookReceiver? receiver, string referencePath, Dictionary<string, string> environment, string logs)
    {
        Kafka = kafka;
        _redis = redis;
        _rabbitMq = rabbitMq;
        _receiver = receiver;
        _services = receiver is null ? ["Windowing", "Detector"] : ["Windowing", "Detector", "Alerting"];
        _instances = _services.ToDictionary(n => n, _ => new List<ServiceProcess>());
        _referencePath = referencePath;
        _environment = environment;
        _logs = logs;
        _producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(Options, "test")).Build();
    }

    public MockKafkaCluster Kafka { get; }

    /// <summary>The webhook receiver Alerting delivers to.</summary>
    public WebhookReceiver Receiver => _receiver ?? throw new InvalidOperationException("This pipeline was started without Alerting.");

    /// <summary>The first Detector instance (the only one with one instance per service).</summary>
    public ServiceProcess Detector => _instances["Detector"][0];

    /// <summary>The pipeline's redis-server (windows, and the reference registry in registry mode).</summary>
    public string RedisConnectionString => _redis.ConnectionString;

    /// <summary>Settings for the test's own Kafka clients.</summary>
    public KafkaOptions Options => MockKafkaSettings.Options(Kafka);

    /// <summary>The services this pipeline runs: Windowing, Detector and, with Alerting, Alerting.</summary>
    public IReadOnlyList<string> Services => _services;

    /// <summary>The running instances of <paramref name="service"/> (Windowing, Detector or Alerting).</summary>
    public IReadOnlyList<ServiceProcess> Instances(string service) => _instances[service];

    /// <summary>
    /// Starts everything, <paramref name="instances"/> of each service (Alerting, RabbitMQ and the
    /// receiver only with <paramref name="alerting"/>), and waits until all are healthy.
    /// <paramref name="settings"/> adds to or overrides the defaults.
    /// </summary>
    public static async Task<ServicePipeline> StartAsync(string name, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken, int instances = 1, bool alerting = false)
    {
        var paths = RepoPaths.Discover();
        Task<RabbitMqServerProcess>? rabbitStart = alerting ? RabbitMqServerProcess.StartAsync(cancellationToken) : null;
        var kafka = MockKafkaCluster.Start();
        KafkaTopology.CreateAll(kafka);
        var redis = await RedisServerProcess.StartAsync(cancellationToken);
        var rabbitMq = rabbitStart is null ? null : await rabbitStart;
        var receiver = alerting ? await WebhookReceiver.StartAsync(cancellationToken: cancellationToken) : null;
        var referencePath = SyntheticActivations.SaveReference(name);
        var alertingSettings = rabbitMq is null || receiver is null ? [] : LocalAlertingSettings.Environment(receiver, rabbitMq);
        // One libtorch thread per Detector when several processes share the two cores.
        var threads = instances > 1 ? new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" } : [];
        var environment = MockKafkaSettings.Environment(kafka, new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["Detector__ReferencePath"] = referencePath,
            ["Detector__Device"] = "cpu",
            ["Detector__Permutations"] = "300",
            // Windows by count only: a time flush would make the number of windows depend on the machine's speed.
            ["WindowStore__MaxWait"] = "00:10:00",
        }.Concat(threads).Concat(alertingSettings).Concat(settings).GroupBy(kv => kv.Key).Select(g => g.Last()));
        var pipeline = new ServicePipeline(kafka, redis, rabbitMq, receiver, referencePath, environment, Path.Combine(paths.Artifacts, "test-logs", name));
        try
        {
            foreach (var service in pipeline._services)
            {
                for (var i = 0; i < instances; i++)
                    pipeline._instances[service].Add(pipeline.Launch(service));
            }

            foreach (var instance in pipeline._instances.Values.SelectMany(i => i))
                await instance.WaitHealthyAsync(pipeline._http, TimeSpan.FromSeconds(120), cancellationToken);
            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one more process of <paramref name="service"/> (an Inference instance, say) with the pipeline's
    /// settings plus <paramref name="settings"/>, waits until it is healthy and stops it with the pipeline.
    /// </summary>
    public async Task<ServiceProcess> StartExtraAsync(string service, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var paths = RepoPaths.Discover();
        var environment = new Dictionary<string, string>(_environment);
        foreach (var (key, value) in settings)
            environment[key] = value;
        var process = ServiceProcess.Start($"{service}-{Interlocked.Increment(ref _starts)}", paths.ServiceDll(service), environment, _logs);
        _extras.Add(process);
        await process.WaitHealthyAsync(_http, TimeSpan.FromSeconds(120), cancellationToken);
        return process;
    }

    /// <summary>Kills instance <paramref name="index"/> of <paramref name="service"/> with SIGKILL (a crash: no shutdown runs).</summary>
    public void Kill(string service, int index) => _instances[service][index].Kill();

    /// <summary>Starts a new process in place of instance <paramref name="index"/> (killed or exited) and waits until it is healthy; returns it.</summary>
    public async Task<ServiceProcess> RestartAsync(string service, int index, CancellationToken cancellationToken)
    {
        await _instances[service][index].DisposeAsync();
        var replacement = Launch(service);
        _instances[service][index] = replacement;
        await replacement.WaitHealthyAsync(_http, TimeSpan.FromSeconds(120), cancellationToken);
        return replacement;
    }

    /// <summary>Publishes <paramref name="activations"/> to the activations topic, keyed by stream, and waits for the broker's acknowledgements.</summary>
    public void Produce(IEnumerable<ActivationEvent> activations)
    {
        foreach (var activation in activations)
            _producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(activation.Header.StreamId), Value = SyntheticActivations.Bytes(activation) });
        Assert.Equal(0, _producer.Flush(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// Publishes <paramref name="eventsPerStream"/> events of each stream (shifted by its shift) at about
    /// <paramref name="eventsPerSecondPerStream"/> per stream, in tenth-of-a-second batches.
    /// </summary>
    public async Task ProduceSteadilyAsync(IReadOnlyList<(string Stream, float Shift)> streams, int eventsPerStream, int eventsPerSecondPerStream, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        int step = Math.Max(1, eventsPerSecondPerStream / 10);
        for (var i = 0; i < eventsPerStream; i += step)
        {
            var batch = Enumerable.Range(i, Math.Min(step, eventsPerStream - i))
                .SelectMany(n => streams.Select(s => SyntheticActivations.Create("synthetic", s.Stream, n, random, s.Shift)));
            Produce(batch);
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _extras.Concat(_instances.Values.SelectMany(i => i)))
            await instance.DisposeAsync();
        _producer.Dispose();
        if (_receiver is not null) await _receiver.DisposeAsync();
        if (_rabbitMq is not null) await _rabbitMq.DisposeAsync();
        await _redis.DisposeAsync();
        Kafka.Dispose();
        _http.Dispose();
        File.Delete(_referencePath);
    }

    private ServiceProcess Launch(string service)
    {
        var paths = RepoPaths.Discover();
        var start = Interlocked.Increment(ref _starts);
        return ServiceProcess.Start($"{service}-{start}", paths.ServiceDll(service), _environment, _logs);
    }
}
