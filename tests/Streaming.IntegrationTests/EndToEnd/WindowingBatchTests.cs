using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Servers;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The Windowing process handed a backlog (every event already in Kafka when it starts), so it
/// appends batches of already-fetched events (Windowing:MaxBatch, in chunks of Windowing:AppendChunk): a malformed event inside a batch
/// is dead-lettered on its own and every other event is still windowed exactly once.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class WindowingBatchTests
{
    private const int EventsPerStream = 200;
    private static readonly string[] Streams = ["cam-a", "cam-b", "cam-c"];

    [Fact]
    public async Task BacklogWithMalformedEventInside_DeadLettersItAlone_EveryOtherEventWindowedOnce()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        using var kafka = MockKafkaCluster.Start();
        await using var redis = await RedisServerProcess.StartAsync(ct);
        var windowing = new WindowingProcess(kafka, redis.ConnectionString, size: 20, slide: 10, nameof(WindowingBatchTests), new Dictionary<string, string>
        {
            ["Windowing__MaxBatch"] = "200",
            // Several chunks per batch, each prepared while Redis runs the one before.
            ["Windowing__AppendChunk"] = "32",
        });
        using var http = new HttpClient();
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(windowing.Options, "test")).Build();
        using var windows = new TopicReader(windowing.Options, Topics.Windows);
        WindowingProcess.Produce(producer, Streams, 0, EventsPerStream / 2);
        byte[] junk = [9, 8, 7, 6, 5];
        producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = "cam-b"u8.ToArray(), Value = junk });
        WindowingProcess.Produce(producer, Streams, EventsPerStream / 2, EventsPerStream);

        await using var service = await windowing.StartAsync(http, ct);

        await windowing.AssertEveryEventWindowedOnceAsync(windows, Streams, EventsPerStream, ct);
        using var deadLetters = new TopicReader(windowing.Options, Topics.DeadLetterOf(Topics.Activations));
        await deadLetters.WaitForAsync(1, TimeSpan.FromSeconds(30), ct);
        var letter = DeadLetter.Parser.ParseFrom(Assert.Single(deadLetters.Messages).Value);
        Assert.Contains("not a valid ActivationEvent", letter.Reason);
        Assert.Equal(junk, letter.Payload.ToByteArray());
        // The junk arrived inside a batch (not alone), which then went one by one.
        Assert.Contains("messages failed; handling each alone", await File.ReadAllTextAsync(service.LogPath, ct));
    }
}
