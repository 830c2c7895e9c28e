using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;
using Streaming.IntegrationTests.Alerting;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.IntegrationTests.Kafka.Consumers;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Kafka;

/// <summary>
/// One Kafka:Properties section serves a service's consumers, its producer and its admin clients:
/// each gets the properties of its kind (and those of both), so librdkafka has nothing to warn about.
/// </summary>
public sealed class KafkaClientPropertiesTests
{
    private const string ConsumerOnly = "max.poll.interval.ms";
    private const string ProducerOnly = "linger.ms";
    private const string Both = "socket.keepalive.enable";

    private static KafkaOptions WithEveryKind(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        Properties = { [ConsumerOnly] = "4000", [ProducerOnly] = "7", [Both] = "true" },
    };

    [Fact]
    public void Configs_PropertiesOfEveryKind_EachClientGetsItsOwnAndTheShared()
    {
        var options = WithEveryKind("127.0.0.1:9");

        var consumer = KafkaClientConfigs.Consumer(options, "c", "g").ToDictionary();
        var producer = KafkaClientConfigs.Producer(options, "p").ToDictionary();
        var admin = KafkaClientConfigs.Admin(options).ToDictionary();

        Assert.Equal(("4000", "true"), (consumer[ConsumerOnly], consumer[Both]));
        Assert.DoesNotContain(ProducerOnly, consumer.Keys);
        Assert.Equal(("7", "true"), (producer[ProducerOnly], producer[Both]));
        Assert.DoesNotContain(ConsumerOnly, producer.Keys);
        Assert.Equal("true", admin[Both]);
        Assert.DoesNotContain(ConsumerOnly, admin.Keys);
    }

    [Fact]
    public void ProducerBuild_ConsumerOnlyPropertyPassedUnfiltered_LibrdkafkaWarnsConfWarn()
    {
        // The premise of the test below: librdkafka does warn, at build time, about a property of the other kind.
        var warnings = new List<string>();
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:9" };
        config.Set(ConsumerOnly, "4000");

        using (new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, m) => { lock (warnings) warnings.Add($"{m.Facility}: {m.Message}"); }).Build())
        {
        }

        Assert.Contains(warnings, w => w.StartsWith("CONFWARN", StringComparison.Ordinal) && w.Contains(ConsumerOnly, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Service_PropertiesOfEveryKind_NoConfWarnFromItsConsumerOrItsProducer()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var topic = "t" + Guid.NewGuid().ToString("N")[..10];
        using var cluster = ConsumerTestHost.StartCluster(topic, 1);
        ConsumerTestHost.Produce(cluster, topic, 0, "bad", "good");
        var script = new ConsumerScript(topic)
        {
            // A dead letter for "bad": the service's producer is built and used.
            Handle = r => Encoding.UTF8.GetString(r.Message.Value) == "bad" ? throw new MalformedMessageException("bad") : Task.CompletedTask,
        };

        // The host sets Kafka:Properties:max.poll.interval.ms (consumer only) itself.
        await using var host = await ConsumerTestHost.StartAsync(cluster, script, new Dictionary<string, string?>
        {
            [$"Kafka:Properties:{ProducerOnly}"] = "7",
            [$"Kafka:Properties:{Both}"] = "true",
        });
        using var deadLetters = new TopicReader(MockKafkaSettings.Options(cluster), Topics.DeadLetterOf(topic));
        await deadLetters.WaitForAsync(1, TimeSpan.FromSeconds(30), cts.Token);
        Assert.True(await Eventually.WaitUntilAsync(() => script.Handled.Count >= 1, TimeSpan.FromSeconds(30), cts.Token));

        Assert.Empty(host.Logs.Entries.Where(e => e.Text.Contains("CONFWARN", StringComparison.Ordinal)).Select(e => e.Text));
        Assert.Equal(["good"], script.HandledValues);
    }
}
