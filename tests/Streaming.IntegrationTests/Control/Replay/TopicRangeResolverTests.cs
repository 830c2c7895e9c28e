using Confluent.Kafka;
using Streaming.Control.Replay;
using Streaming.Messaging;
using Streaming.LocalStack.Kafka;

namespace Streaming.IntegrationTests.Control.Replay;

public sealed class TopicRangeResolverTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Resolve_TimestampsOnTheMockCluster_FallsBackToBinarySearchAndFindsExactOffsets()
    {
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic("history", 2);
        var options = new KafkaOptions { BootstrapServers = kafka.BootstrapServers };
        using (var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "p")).Build())
        {
            // Partition 0: one message per second from T0; partition 1: every other second.
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(new TopicPartition("history", 0), new Message<byte[], byte[]> { Key = [1], Value = [1], Timestamp = new Timestamp(T0.AddSeconds(i)) });
                if (i % 2 == 0)
                    producer.Produce(new TopicPartition("history", 1), new Message<byte[], byte[]> { Key = [2], Value = [2], Timestamp = new Timestamp(T0.AddSeconds(i)) });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        }

        var config = KafkaClientConfigs.Consumer(options, "resolver", "resolver");
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var resolver = new TopicRangeResolver(consumer, TimeSpan.FromSeconds(10));

        var ranges = resolver.Resolve("history", 2, new ReplayBoundary(T0.AddSeconds(30), null), new ReplayBoundary(T0.AddSeconds(61), null));

        Assert.Equal((30L, 61L), (ranges[0].Start, ranges[0].End));
        Assert.Equal((15L, 31L), (ranges[1].Start, ranges[1].End));
        Assert.True(resolver.FallbackCount > 0, "the mock answers OffsetsForTimes with the end offset, so the fallback must have run");

        var everything = resolver.Resolve("history", 2, null, null);
        Assert.Equal(150, everything.Sum(r => r.Count));
        var afterEnd = resolver.Resolve("history", 2, new ReplayBoundary(T0.AddHours(1), null), null);
        Assert.Equal(0, afterEnd.Sum(r => r.Count));
        var offsets = resolver.Resolve("history", 2, new ReplayBoundary(null, 10), new ReplayBoundary(null, 20));
        Assert.All(offsets, r => Assert.Equal((10L, 20L), (r.Start, r.End)));
    }

    [Fact]
    public void Run_EmptyRange_EndsCleanlyWithNoEvents()
    {
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Contracts.Topics.Activations, 2);

        var report = new ReplayRunner(new ReplayOptions { BootstrapServers = kafka.BootstrapServers, ReferencePath = "/unused/when/empty" }).Run(null, CancellationToken.None);

        Assert.Equal(0, report.Events);
        Assert.Empty(report.Results);
    }

    [Fact]
    public void Run_UnknownTopic_SaysSo()
    {
        using var kafka = MockKafkaCluster.Start();

        var ex = Assert.ThrowsAny<Exception>(() => new ReplayRunner(new ReplayOptions { BootstrapServers = kafka.BootstrapServers, Topic = "nope", ReferencePath = "x" }).Run(null, CancellationToken.None));

        Assert.Contains("nope", ex.Message);
    }
}
