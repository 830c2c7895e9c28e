using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.Control.Hosting;
using Streaming.Messaging;
using Streaming.Messaging.Mock;
using Streaming.Windows;
using Streaming.Windows.Hosting;

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
    private const int Size = 20;
    private const int Slide = 10;
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
        kafka.CreateTopic(Topics.Activations, 4);
        kafka.CreateTopic(Topics.Windows, 2);
        kafka.CreateTopic(Topics.DeadLetterOf(Topics.Activations), 1);
        await using var redis = await RedisServerProcess.StartAsync(ct);
        var options = MockKafkaSettings.Options(kafka);
        var paths = RepoPaths.Discover();
        var environment = MockKafkaSettings.Environment(kafka, new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["Windows__Size"] = Size.ToString(),
            ["Windows__Slide"] = Slide.ToString(),
            ["Windows__ModelWide__Size"] = ModelWideSize.ToString(),
            ["Windows__ModelWide__Slide"] = ModelWideSlide.ToString(),
        });
        var logs = Path.Combine(paths.Artifacts, "test-logs", nameof(WindowingRestartTests));
        using var http = new HttpClient();
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "test")).Build();
        using var windows = new TopicReader(options, Topics.Windows);

        var first = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), FreePort.Next(), environment, logs);
        await using (first)
        {
            await first.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), ct);
            Produce(producer, 0, EventsPerStream / 2);
            producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("cam-a"), Value = [1, 2, 3, 4, 5] });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
            await windows.WaitForAsync(1, TimeSpan.FromSeconds(60), ct);
            first.Kill();
        }

        Produce(producer, EventsPerStream / 2, EventsPerStream);
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        await using var second = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), FreePort.Next(), environment, logs);
        await second.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), ct);

        var expectedPerStream = ((EventsPerStream - Size) / Slide) + 1;
        var modelEvents = EventsPerStream * Streams.Length;
        var expectedModelWide = ((modelEvents - ModelWideSize) / ModelWideSlide) + 1;
        await windows.WaitForAsync((expectedPerStream * Streams.Length) + expectedModelWide, TimeSpan.FromSeconds(90), ct);
        // Anything double-counted would surface as extra windows shortly after.
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var windowsById = windows.Messages
            .Select(m => WindowReady.Parser.ParseFrom(m.Value))
            .GroupBy(w => w.WindowId)
            .Select(g => g.First())
            .ToList();
        Assert.Equal((expectedPerStream * Streams.Length) + expectedModelWide, windowsById.Count);

        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var store = new RedisWindowStore(connection, Options.Create(new WindowOptions { Size = Size, Slide = Slide }), new FakeTimeProvider());
        foreach (var stream in Streams)
        {
            var streamWindows = windowsById.Where(w => w.Header.StreamId == stream).OrderBy(w => w.Sequence).ToList();
            Assert.All(streamWindows, w => Assert.Equal(WindowScopes.Stream, w.Scope));
            Assert.Equal(expectedPerStream, streamWindows.Count);
            for (var k = 0; k < streamWindows.Count; k++)
            {
                var contents = await store.ReadWindowAsync(streamWindows[k].WindowKey, ct);
                var expected = Enumerable.Range(k * Slide, Size).Select(i => $"{stream}-{i:D6}").ToList();
                Assert.Equal(expected, contents.Events.Select(e => e.Header.EventId));
                // The id is the contents' digest, the same before and after the kill.
                Assert.Equal(WindowIds.Of("synthetic", stream, expected), streamWindows[k].WindowId);
            }
        }

        // The model-wide windows: their order across streams is the order Windowing consumed the
        // partitions in, so it is not known in advance; but they must slide over one sequence that
        // holds every event of every stream exactly once, each stream in its own order.
        var modelWide = windowsById.Where(w => w.Scope == WindowScopes.Model).OrderBy(w => w.Sequence).ToList();
        Assert.Equal(expectedModelWide, modelWide.Count);
        var sequence = new List<ActivationEvent>();
        for (var k = 0; k < modelWide.Count; k++)
        {
            Assert.Equal(WindowScopes.ModelWideStreamId, modelWide[k].Header.StreamId);
            var contents = await store.ReadWindowAsync(modelWide[k].WindowKey, ct);
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

        using var deadLetters = new TopicReader(options, Topics.DeadLetterOf(Topics.Activations));
        await deadLetters.WaitForAsync(1, TimeSpan.FromSeconds(30), ct);
        var letter = DeadLetter.Parser.ParseFrom(deadLetters.Messages[0].Value);
        Assert.Equal(Topics.Activations, letter.SourceTopic);
        Assert.Contains("not a valid ActivationEvent", letter.Reason);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, letter.Payload.ToByteArray());
    }

    private static string Member(ActivationEvent e) => WindowIds.ModelWideMember(e.Header.StreamId, e.Header.EventId);

    private static void Produce(IProducer<byte[], byte[]> producer, int from, int to)
    {
        var random = new Random(from);
        for (var i = from; i < to; i++)
        {
            foreach (var stream in Streams)
            {
                var activation = SyntheticActivations.Create("synthetic", stream, i, random);
                producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(stream), Value = SyntheticActivations.Bytes(activation) });
            }
        }
    }
}
