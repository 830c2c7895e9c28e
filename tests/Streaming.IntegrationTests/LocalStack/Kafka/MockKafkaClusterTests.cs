using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.Messaging;
using Streaming.LocalStack.Kafka;

namespace Streaming.IntegrationTests.LocalStack.Kafka;

public sealed class MockKafkaClusterTests
{
    [Fact]
    public void ProduceAndConsumeInGroup_CommittedOffset_ResumesAfterRestart()
    {
        using var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic("t", 3);
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 };

        using (var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "p")).Build())
        {
            for (var i = 0; i < 10; i++)
                producer.Produce("t", new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("s" + (i % 2)), Value = Encoding.UTF8.GetBytes(i.ToString()) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        }

        var first = ConsumeValues(options, "g", 6);
        var rest = ConsumeValues(options, "g", 4);

        Assert.Equal(6, first.Count);
        Assert.Equal(4, rest.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()).Order(), first.Concat(rest).Order());
    }

    private static List<string> ConsumeValues(KafkaOptions options, string group, int count)
    {
        var values = new List<string>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(options, "c", group)).Build();
        consumer.Subscribe("t");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (values.Count < count && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null) continue;
            values.Add(Encoding.UTF8.GetString(r.Message.Value));
            consumer.StoreOffset(r);
        }

        consumer.Commit();
        consumer.Close();
        return values;
    }
}
