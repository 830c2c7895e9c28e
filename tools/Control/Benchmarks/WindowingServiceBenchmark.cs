using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Control.LoadTest;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.LocalStack.Servers;
using Streaming.Messaging;
using Streaming.WindowStore;

namespace Streaming.Control.Benchmarks;

/// <summary>
/// The Windowing service end to end, as a real process on embedded Kafka and the given
/// redis-server: events produced to activations as fast as the producer goes, timed until every
/// window they complete (stream and model-wide) is announced on the windows topic. The clock starts
/// after a warm-up: events of another model over as many streams, produced and waited for until their
/// windows are announced, then <see cref="Settle"/>, so the timed run measures throughput, not the
/// consumer groups' joins or the first JIT. With the default warm-up (100 events) the runtime still
/// re-compiles the hot methods at tier 1 during the timed run; the CPU per event it prints (<see cref="CpuBudget"/>) shows that share.
/// </summary>
internal sealed class WindowingServiceBenchmark(RepoPaths paths, RedisServerProcess redis, TextWriter output)
{
    private const int Size = 100;
    private const int Slide = 50;

    /// <summary>Pause after the warm-up's windows, for methods queued for optimisation to be compiled (the runtime waits 100 ms without new calls, then compiles in the background).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Events/s through one fresh Windowing process with Windowing:MaxBatch = <paramref name="maxBatch"/> and
    /// Windowing:AppendChunk = <paramref name="appendChunk"/>, after <paramref name="warmUpEvents"/> events of another model.
    /// </summary>
    public async Task<double> MeasureAsync(int maxBatch, int appendChunk, int events, int streams, int values, int warmUpEvents, CancellationToken ct)
    {
        using var kafka = MockKafkaCluster.Start();
        KafkaTopology.CreateAll(kafka);
        var kafkaOptions = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 };
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka__SessionTimeoutMs"] = "3000",
            ["Kafka__HeartbeatIntervalMs"] = "500",
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["WindowStore__Size"] = Size.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__Slide"] = Slide.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__ModelWide__Size"] = Size.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__ModelWide__Slide"] = Slide.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__KeyPrefix"] = "bench" + Guid.NewGuid().ToString("N")[..8],
            ["Windowing__MaxBatch"] = maxBatch.ToString(CultureInfo.InvariantCulture),
            ["Windowing__AppendChunk"] = appendChunk.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var data = BenchActivations.Interleaved(streams, events, values, Guid.NewGuid().ToString("N")[..8]).Select(Encode).ToList();
        var expected = ExpectedWindows(events, streams);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var warmUp = BenchActivations.Interleaved(streams, warmUpEvents, values, runId, model: BenchActivations.Model + "-warmup").Select(Encode).ToList();
        CheckRetention(warmUp.Concat(data), streams);

        var logs = Path.Combine(paths.Artifacts, "bench-logs", $"windowing-batch{maxBatch}-chunk{appendChunk}");
        await using var service = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), environment, logs);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);

        using var windows = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "bench-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            // The mock broker holds a fetch that finds nothing for the whole fetch.wait.max.ms (500 ms
            // by default) even when data arrives meanwhile: the clock would stop on a 500 ms grid.
            FetchWaitMaxMs = 10,
        }).Build();
        windows.Subscribe(Topics.Windows);
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(kafkaOptions, "bench-windowing")).Build();

        ProduceAll(producer, warmUp);
        producer.Flush(ct);
        AwaitWindows(windows, ExpectedWindows(warmUpEvents, streams), service, $"warm-up (MaxBatch {maxBatch}, AppendChunk {appendChunk})", logs, Stopwatch.StartNew(), ct);
        await Task.Delay(Settle, ct);

        using var cpu = CpuBudget.Start([("Windowing", service.ProcessId), ("redis-server", redis.ProcessId)]);
        var watch = Stopwatch.StartNew();
        ProduceAll(producer, data);
        producer.Flush(ct);
        var produced = watch.Elapsed;
        var quarters = AwaitWindows(windows, expected, service, $"MaxBatch {maxBatch}, AppendChunk {appendChunk}", logs, watch, ct);
        watch.Stop();
        var rate = events / watch.Elapsed.TotalSeconds;
        var used = cpu.Stop(events).Processes;
        var (serviceCpu, redisCpu) = (used[0].MicrosPerEvent ?? double.NaN, used[1].MicrosPerEvent ?? double.NaN);
        output.WriteLine(FormattableString.Invariant($"  Windowing:MaxBatch {maxBatch}, AppendChunk {appendChunk}: {events} events produced in {produced.TotalSeconds:F2} s, all {expected} windows announced after {watch.Elapsed.TotalSeconds:F2} s ({string.Join(" / ", quarters.Select(q => q.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s for each quarter): {rate:F0} events/s; CPU per event: Windowing {serviceCpu:F1} us, redis-server {redisCpu:F1} us"));
        return rate;
    }

    /// <summary>Stream and model-wide windows that <paramref name="events"/> spread evenly over <paramref name="streams"/> complete.</summary>
    private static int ExpectedWindows(int events, int streams) =>
        (streams * CountWindowRule.ExpectedCount(events / streams, Size, Slide)) + CountWindowRule.ExpectedCount(events, Size, Slide);

    /// <summary>The activations topic's partitions on the mock cluster.</summary>
    private static readonly int Partitions = TopicCatalog.All.Single(t => t.Name == Topics.Activations).Partitions;

    /// <summary>Stream i of a run (<see cref="BenchActivations.Interleaved"/> names them s0, s1, …) on partition i mod <see cref="Partitions"/>.</summary>
    private static TopicPartition PartitionOf(string streamId) =>
        new(Topics.Activations, new Partition(int.Parse(streamId.AsSpan(1), CultureInfo.InvariantCulture) % Partitions));

    /// <summary>
    /// Each stream is produced to a partition of its own (not by the key's hash, where two of 8 streams often
    /// share one of 12 partitions), and a run whose events would not fit the mock broker's retention of a partition
    /// is refused: past it the broker drops the oldest events, read or not, and the run waited 5 minutes for
    /// windows that never came (the consumer's offset reset, in the service's log).
    /// </summary>
    private static void CheckRetention(IEnumerable<(TopicPartition Partition, byte[] Key, byte[] Value)> events, int streams)
    {
        // A record's key, value and about 70 bytes of record and batch framing.
        var perPartition = events.GroupBy(e => e.Partition.Partition.Value).Max(g => g.Sum(e => e.Key.Length + e.Value.Length + 70L));
        if (perPartition > MockKafkaCluster.RetainedBytesPerPartition * 9 / 10)
            throw new ArgumentException(FormattableString.Invariant(
                $"--events over --streams {streams} put {perPartition / 1048576.0:F1} MiB on one activations partition; the embedded Kafka keeps {MockKafkaCluster.RetainedBytesPerPartition / 1048576} MiB per partition: use more streams (up to {Partitions}), fewer events or fewer --service-values."));
    }

    /// <summary>The event's partition, key and bytes, all worked out before the clock starts.</summary>
    private static (TopicPartition Partition, byte[] Key, byte[] Value) Encode(ActivationEvent e) =>
        (PartitionOf(e.Header.StreamId), Encoding.UTF8.GetBytes(e.Header.StreamId), e.ToByteArray());

    private static void ProduceAll(IProducer<byte[], byte[]> producer, IEnumerable<(TopicPartition Partition, byte[] Key, byte[] Value)> data)
    {
        foreach (var (partition, key, value) in data)
        {
            while (true)
            {
                try
                {
                    producer.Produce(partition, new Message<byte[], byte[]> { Key = key, Value = value });
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
    }

    /// <summary>
    /// Reads the windows topic until <paramref name="expected"/> windows came (or 5 minutes passed, or
    /// the service died: then throws); returns how long each quarter of them took on <paramref name="clock"/>,
    /// which tells a steady rate from a slow start or tail.
    /// </summary>
    private static List<TimeSpan> AwaitWindows(IConsumer<byte[], byte[]> windows, int expected, ServiceProcess service, string what, string logs, Stopwatch clock, CancellationToken ct)
    {
        var seen = 0;
        var quarters = new List<TimeSpan>();
        var last = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (seen < expected && DateTime.UtcNow < deadline && !service.HasExited)
        {
            ct.ThrowIfCancellationRequested();
            if (windows.Consume(TimeSpan.FromMilliseconds(200)) is not { IsPartitionEOF: false }) continue;
            seen++;
            if (seen * 4L < expected * (quarters.Count + 1L)) continue;
            quarters.Add(clock.Elapsed - last);
            last = clock.Elapsed;
        }

        if (seen < expected)
            throw new InvalidOperationException($"Only {seen} of {expected} windows were announced ({what}); see {logs}.");
        return quarters;
    }
}
