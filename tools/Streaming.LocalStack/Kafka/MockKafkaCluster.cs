using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Streaming.LocalStack.Kafka;

/// <summary>
/// librdkafka's built-in mock cluster: it speaks the Kafka protocol over TCP on loopback, so any
/// process connects to <see cref="BootstrapServers"/> as to a real broker. It lives as long as
/// this object (the hosting process must stay alive). Limits compared with a real cluster: about
/// 5 MiB retained per partition, no AdminClient topic creation, OffsetsForTimes always answers
/// the end offset, transactions not enforced.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly IProducer<byte[], byte[]> _owner;
    private readonly IntPtr _cluster;

    private MockKafkaCluster(IProducer<byte[], byte[]> owner, IntPtr cluster, string bootstrapServers)
    {
        _owner = owner;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>
    /// What a partition keeps: librdkafka's mock broker drops a partition's oldest message sets past 5 MiB
    /// (or 100,000 messages), read or not (its rd_kafka_mock_partition_log_append).
    /// </summary>
    public const long RetainedBytesPerPartition = 5L * 1024 * 1024;

    public string BootstrapServers { get; }

    public static MockKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var config = new ProducerConfig
        {
            BootstrapServers = "localhost:0",
            ClientId = "mock-cluster-owner",
        };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var owner = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var cluster = LibRdKafkaMock.rd_kafka_handle_mock_cluster(NativeHandleOf(owner));
        if (cluster == IntPtr.Zero)
        {
            owner.Dispose();
            throw new InvalidOperationException("librdkafka did not create a mock cluster (test.mock.num.brokers ignored).");
        }

        var bootstraps = Marshal.PtrToStringUTF8(LibRdKafkaMock.rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap servers.");

        // Consumers joining a group get partitions at once instead of after the default 3 s delay.
        LibRdKafkaMock.rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, 0);
        return new MockKafkaCluster(owner, cluster, bootstraps);
    }

    /// <summary>Creates a topic; the mock cannot do it through AdminClient.</summary>
    public void CreateTopic(string topic, int partitions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var error = LibRdKafkaMock.rd_kafka_mock_topic_create(_cluster, topic, partitions, 1);
        if (error != 0)
            throw new InvalidOperationException($"Mock cluster refused to create topic '{topic}' (librdkafka error {error}).");
    }

    public void Dispose() => _owner.Dispose();

    /// <summary>Confluent.Kafka keeps the rd_kafka_t pointer internal (Handle.LibrdkafkaHandle, a SafeHandle).</summary>
    private static IntPtr NativeHandleOf(IClient client)
    {
        var property = client.Handle.GetType().GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException("This Confluent.Kafka version does not expose Handle.LibrdkafkaHandle.");
        var safeHandle = (SafeHandle)(property.GetValue(client.Handle)
            ?? throw new InvalidOperationException("The Kafka client has no native handle."));
        return safeHandle.DangerousGetHandle();
    }
}
