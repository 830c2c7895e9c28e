using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.LocalStack.Servers;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Windowing and the Detector as real processes on a fresh embedded Kafka (every pipeline topic) and
/// a fresh redis-server, the Detector testing against a synthetic reference (model "synthetic",
/// layer fc1, see <see cref="SyntheticActivations"/>). Logs go to .artifacts/test-logs/&lt;name&gt;.
/// </summary>
internal sealed class DetectorPipeline : IAsyncDisposable
{
    private readonly RedisServerProcess _redis;
    private readonly string _referencePath;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logs;
    private readonly HttpClient _http = new();
    private readonly IProducer<byte[], byte[]> _producer;

    private DetectorPipeline(MockKafkaCluster kafka, RedisServerProcess redis, string referencePath, IReadOnlyDictionary<string, string> environment, string logs)
    {
        Kafka = kafka;
        _redis = redis;
        _referencePath = referencePath;
        _environment = environment;
        _logs = logs;
        _producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(Options, "test")).Build();
    }

    public MockKafkaCluster Kafka { get; }

    /// <summary>The pipeline's redis-server (windows, and the reference registry in registry mode).</summary>
    public string RedisConnectionString => _redis.ConnectionString;

    /// <summary>Settings for the test's own Kafka clients.</summary>
    public KafkaOptions Options => MockKafkaSettings.Options(Kafka);

    public ServiceProcess Windowing { get; private set; } = null!;

    public ServiceProcess Detector { get; private set; } = null!;

    /// <summary>Starts everything and waits until both services are healthy. <paramref name="settings"/> adds to or overrides the defaults.</summary>
    public static async Task<DetectorPipeline> StartAsync(string name, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var paths = RepoPaths.Discover();
        var kafka = MockKafkaCluster.Start();
        KafkaTopology.CreateAll(kafka);
        var redis = await RedisServerProcess.StartAsync(cancellationToken);
        var referencePath = SyntheticActivations.SaveReference(name);
        var environment = MockKafkaSettings.Environment(kafka, new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["Detector__ReferencePath"] = referencePath,
            ["Detector__Device"] = "cpu",
            ["Detector__Permutations"] = "300",
            // Windows by count only: a time flush would make the number of windows depend on the machine's speed.
            ["WindowStore__MaxWait"] = "00:10:00",
        }.Concat(settings).GroupBy(kv => kv.Key).Select(g => g.Last()));
        var pipeline = new DetectorPipeline(kafka, redis, referencePath, environment, Path.Combine(paths.Artifacts, "test-logs", name));
        try
        {
            pipeline.Windowing = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), FreePort.Next(), environment, pipeline._logs);
            pipeline.Detector = ServiceProcess.Start("Detector", paths.ServiceDll("Detector"), FreePort.Next(), environment, pipeline._logs);
            await pipeline.Windowing.WaitHealthyAsync(pipeline._http, TimeSpan.FromSeconds(60), cancellationToken);
            await pipeline.Detector.WaitHealthyAsync(pipeline._http, TimeSpan.FromSeconds(90), cancellationToken);
            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a new Detector process in place of the current one (killed or exited) and waits until it is healthy.</summary>
    public async Task RestartDetectorAsync(CancellationToken cancellationToken)
    {
        await Detector.DisposeAsync();
        var paths = RepoPaths.Discover();
        Detector = ServiceProcess.Start("Detector", paths.ServiceDll("Detector"), FreePort.Next(), _environment, Path.Combine(_logs, "restarted"));
        await Detector.WaitHealthyAsync(_http, TimeSpan.FromSeconds(90), cancellationToken);
    }

    /// <summary>Publishes <paramref name="activations"/> to the activations topic, keyed by stream, and waits for the broker's acknowledgements.</summary>
    public void Produce(IEnumerable<ActivationEvent> activations)
    {
        foreach (var activation in activations)
            _producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(activation.Header.StreamId), Value = SyntheticActivations.Bytes(activation) });
        Assert.Equal(0, _producer.Flush(TimeSpan.FromSeconds(10)));
    }

    public async ValueTask DisposeAsync()
    {
        if (Detector is not null) await Detector.DisposeAsync();
        if (Windowing is not null) await Windowing.DisposeAsync();
        _producer.Dispose();
        await _redis.DisposeAsync();
        Kafka.Dispose();
        _http.Dispose();
        File.Delete(_referencePath);
    }
}
