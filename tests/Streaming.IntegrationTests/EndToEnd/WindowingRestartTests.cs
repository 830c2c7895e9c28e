using Confluent.Kafka;
using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.Messaging;
using Streaming.LocalStack.Kafka;
using Streaming.WindowStore;
using Streaming.LocalStack.Servers;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The windowing service as a real process on embedded Kafka and a real redis-server, killed
/// with SIGKILL in the middle of a stream and restarted: every window must still come out
/// exactly once, each with exactly the events it should hold; the stream windows and the
/// model-wide windows over all streams alike.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class WindowingRestartTests
{
    private const int EventsPerStream = 300;
    private const int ModelWideSize = 30;
    private const int ModelWideSlide = 15;
    private static readonly string[] Streams = ["cam-a", "cam-b", "cam-c"];

    [Fact]
    public async Task KilledAndRestarted_WindowsHoldEveryEventOnce_AndMalformedEventsAreDeadLettered()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        using var kafka = MockKafkaCluster.Start();
        await using var redis = await RedisServerProcess.StartAsync(ct);
        var windowing = new WindowingProcess(kafka, redis.ConnectionString, size: 20, slide: 10, nameof(WindowingRestartTests), new Dictionary<string, string>
        {
            ["WindowStore__ModelWide__Size"] = ModelWideSize.ToString(),
            ["WindowStore__ModelWide__Slide"] = ModelWideSlide.ToString(),
        });
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
        var modelEvents = EventsPerStream * Streams.Length;
        var expectedModelWide = CountWindowRule.ExpectedCount(modelEvents, ModelWideSize, ModelWideSlide);
        var expectedPerStream = CountWindowRule.ExpectedCount(EventsPerStream, windowing.Size, windowing.Slide);
        await windows.WaitForAsync((expectedPerStream * Streams.Length) + expectedModelWide, TimeSpan.FromSeconds(120), ct);
        await windowing.AssertEveryEventWindowedOnceAsync(windows, Streams, EventsPerStream, ct);

        var windowsById = windows.Messages
            .Select(m => WindowReady.Parser.ParseFrom(m.Value))
            .GroupBy(w => w.WindowId)
            .Select(g => g.First())
            .ToList();
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var reader = new RedisWindowReader(connection);

        // The model-wide windows: their order across streams is the order Windowing consumed the
        // partitions in, so it is not known in advance; but they must slide over one sequence that
        // holds every event of every stream exactly once, each stream in its own order.
        var modelWide = windowsById.Where(w => w.Scope == WindowScopes.Model).OrderBy(w => w.Sequence).ToList();
        Assert.Equal(expectedModelWide, modelWide.Count);
        var sequence = new List<ActivationEvent>();
        for (var k = 0; k < modelWide.Count; k++)
        {
            Assert.Equal(WindowScopes.ModelWideStreamId, modelWide[k].Header.StreamId);
            var contents = await reader.ReadWindowAsync(modelWide[k].WindowKey, ct);
            Assert.Empty(contents.MissingEventIds);
            Assert.Equal(ModelWideSize, contents.Events.Count);
            Assert.Equal(WindowIds.OfModel("synthetic", contents.Events.Select(e => (e.Header.StreamId, e.Header.EventId))), modelWide[k].WindowId);
            if (k == 0)
            {
                sequence.AddRange(contents.Events);
                continue;
            }

            // Window k starts where window k-1 was one slide in.
            Assert.Equal(sequence.Skip(sequence.Count - (ModelWideSize - ModelWideSlide)).Select(Member), contents.Events.Take(ModelWideSize - ModelWideSlide).Select(Member));
            sequence.AddRange(contents.Events.Skip(ModelWideSize - ModelWideSlide));
        }

        Assert.Equal(modelEvents, sequence.Count);
        Assert.Equal(modelEvents, sequence.Select(Member).Distinct().Count());
        foreach (var stream in Streams)
        {
            Assert.Equal(
                Enumerable.Range(0, EventsPerStream).Select(i => $"{stream}-{i:D6}"),
                sequence.Where(e => e.Header.StreamId == stream).Select(e => e.Header.EventId));
        }

        using var deadLetters = new TopicReader(windowing.Options, Topics.DeadLetterOf(Topics.Activations));
        await deadLetters.WaitForAsync(1, TimeSpan.FromSeconds(30), ct);
        var letter = DeadLetter.Parser.ParseFrom(deadLetters.Messages[0].Value);
        Assert.Equal(Topics.Activations, letter.SourceTopic);
        Assert.Contains("not a valid ActivationEvent", letter.Reason);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, letter.Payload.ToByteArray());
    }

    private static string Member(ActivationEvent e) => WindowIds.ModelWideMember(e.Header.StreamId, e.Header.EventId);
}
