using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.Messaging;
using Streaming.WindowStore;

namespace Streaming.Control.Benchmarks;

/// <summary>
/// The Windowing service end to end, as a real process on embedded Kafka and the given
/// redis-server: events produced to activations as fast as the producer goes, timed until every
/// window they complete (stream and model-wide) is announced on the windows topic. The clock starts
/// after a warm-up: one window's worth of events of another model, produced and waited for until its
/// windows are announced, so the timed run measures throughput, not the consumer groups' joins or the
/// first JIT.
/// </summary>
internal sealed class WindowingServiceBenchmark(RepoPaths paths, string redisConnectionString, TextWriter output)
{
    private const int Size = 100;
    private const int Slide = 50;

    /// <summary>Events/s through one fresh Windowing process with Windowing:MaxBatch = <paramref name="maxBatch"/>.</summary>
    public async Task<double> MeasureAsync(int maxBatch, int events, int streams, int values, CancellationToken ct)
    {
        using var kafka = MockKafkaCluster.Start();
        KafkaTopology.CreateAll(kafka);
        var kafkaOptions = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 };
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka__SessionTimeoutMs"] = "3000",
            ["Kafka__HeartbeatIntervalMs"] = "500",
            ["Redis__ConnectionString"] = redisConnectionString,
            ["WindowStore__Size"] = Size.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__Slide"] = Slide.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__ModelWide__Size"] = Size.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__ModelWide__Slide"] = Slide.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__KeyPrefix"] = "bench" + Guid.NewGuid().ToString("N")[..8],
            ["Windowing__MaxBatch"] = maxBatch.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var data = BenchActivations.Interleaved(streams, events, values, Guid.NewGuid().ToString("N")[..8]).Select(Encode).ToList();
        var perStream = events / streams;
        var expected = (streams * CountWindowRule.ExpectedCount(perStream, Size, Slide)) + CountWindowRule.ExpectedCount(events, Size, Slide);

        var logs = Path.Combine(paths.Artifacts, "bench-logs", $"windowing-batch{maxBatch}");
        await using var service = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), FreePort.Next(), environment, logs);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);

        using var windows = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "bench-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        windows.Subscribe(Topics.Windows);
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(kafkaOptions, "bench-windowing")).Build();

        var runId = Guid.NewGuid().ToString("N")[..8];
        var warmUp = BenchActivations.Interleaved(1, Size, values, runId, model: BenchActivations.Model + "-warmup").Select(Encode).ToList();
        ProduceAll(producer, warmUp);
        producer.Flush(ct);
        // One stream window and the warm-up model's model-wide window.
        AwaitWindows(windows, 2, service, $"warm-up (MaxBatch {maxBatch})", logs, ct);

        var watch = Stopwatch.StartNew();
        ProduceAll(producer, data);
        producer.Flush(ct);
        var produced = watch.Elapsed;
        AwaitWindows(windows, expected, service, $"MaxBatch {maxBatch}", logs, ct);
        watch.Stop();
        var rate = events / watch.Elapsed.TotalSeconds;
        output.WriteLine(FormattableString.Invariant($"  Windowing:MaxBatch {maxBatch}: {events} events produced in {produced.TotalSeconds:F2} s, all {expected} windows announced after {watch.Elapsed.TotalSeconds:F2} s: {rate:F0} events/s"));
        return rate;
    }

    private static (byte[] Key, byte[] Value) Encode(ActivationEvent e) => (Encoding.UTF8.GetBytes(e.Header.StreamId), e.ToByteArray());

    private static void ProduceAll(IProducer<byte[], byte[]> producer, IEnumerable<(byte[] Key, byte[] Value)> data)
    {
        foreach (var (key, value) in data)
        {
            while (true)
            {
                try
                {
                    producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = key, Value = value });
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
    }

    /// <summary>Reads the windows topic until <paramref name="expected"/> windows came (or 5 minutes passed, or the service died: then throws).</summary>
    private static void AwaitWindows(IConsumer<byte[], byte[]> windows, int expected, ServiceProcess service, string what, string logs, CancellationToken ct)
    {
        var seen = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (seen < expected && DateTime.UtcNow < deadline && !service.HasExited)
        {
            ct.ThrowIfCancellationRequested();
            if (windows.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false })
                seen++;
        }

        if (seen < expected)
            throw new InvalidOperationException($"Only {seen} of {expected} windows were announced ({what}); see {logs}.");
    }
}
