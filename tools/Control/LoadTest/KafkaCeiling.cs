using System.Diagnostics;
using Confluent.Kafka;
using Streaming.Messaging;
using Streaming.LocalStack.Kafka;

namespace Streaming.Control.LoadTest;

/// <summary>The raw produce-then-consume rate of the same Kafka with 2 KB messages: the ceiling any pipeline on it stays under.</summary>
public static class KafkaCeiling
{
    public static (double ProducePerSecond, double ConsumePerSecond) Measure(MockKafkaCluster cluster, int messages = 20_000)
    {
        var topic = "ceiling-" + Guid.NewGuid().ToString("N")[..8];
        // The mock keeps about 5 MiB per partition and drops older data silently: 16 partitions hold 40 MB.
        cluster.CreateTopic(topic, 16);
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        var payload = new byte[2048];
        Random.Shared.NextBytes(payload);

        var produce = Stopwatch.StartNew();
        using (var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "ceiling")).Build())
        {
            for (var i = 0; i < messages; i++)
            {
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i % 64), Value = payload });
                        break;
                    }
                    catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }
            }

            producer.Flush(TimeSpan.FromSeconds(60));
        }

        produce.Stop();
        var config = KafkaClientConfigs.Consumer(options, "ceiling", "ceiling-" + Guid.NewGuid().ToString("N"));
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Subscribe(topic);
        var consume = Stopwatch.StartNew();
        var read = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (read < messages && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false }) read++;
        }

        consume.Stop();
        consumer.Close();
        return (messages / produce.Elapsed.TotalSeconds, read / consume.Elapsed.TotalSeconds);
    }
}
