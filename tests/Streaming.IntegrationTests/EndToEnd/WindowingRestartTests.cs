using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Messaging;
using Streaming.Messaging.Mock;
using Streaming.Windows.Hosting;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The windowing service as a real process on embedded Kafka and a real redis-server, killed
/// with SIGKILL in the middle of a stream and restarted: every window must still come out
/// exactly once, each with exactly the events it should hold.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class WindowingRestartTests
{
    private const int EventsPerStream = 300;
    private static readonly string[] Streams = ["cam-a", "cam-b", "cam-c"];

    [Fact]
    public async Task KilledAndRestarted_WindowsHoldEveryEventOnce_AndMalformedEventsAreDeadLettered()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        using var kafka = MockKafkaCluster.Start();
        await using var redis = await RedisServerProcess.StartAsync(ct);
        var windowing = new WindowingProcess(kafka, redis.ConnectionString, size: 20, slide: 10, nameof(WindowingRestartTests));
        using var http = new HttpClient();
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(windowing.Options, "test")).Build();
        using var windows = new TopicReader(windowing.Options, Topics.Windows);

        var first = await windowing.StartAsync(http, ct);
        await using (first)
        {
            WindowingProcess.Produce(producer, Streams, 0, EventsPerStream / 2);
            producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = "cam-a"u8.ToArray(), Value = [1, 2, 3, 4, 5] });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
            await windows.WaitForAsync(1, TimeSpan.FromSeconds(60), ct);
            first.Kill();
        }

        WindowingProcess.Produce(producer, Streams, EventsPerStream / 2, EventsPerStream);
        await using var second = await windowing.StartAsync(http, ct);

        // Each window id is its contents' digest, the same before and after the kill.
        await windowing.AssertEveryEventWindowedOnceAsync(windows, Streams, EventsPerStream, ct);

        using var deadLetters = new TopicReader(windowing.Options, Topics.DeadLetterOf(Topics.Activations));
        await deadLetters.WaitForAsync(1, TimeSpan.FromSeconds(30), ct);
        var letter = DeadLetter.Parser.ParseFrom(deadLetters.Messages[0].Value);
        Assert.Equal(Topics.Activations, letter.SourceTopic);
        Assert.Contains("not a valid ActivationEvent", letter.Reason);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, letter.Payload.ToByteArray());
    }
}
