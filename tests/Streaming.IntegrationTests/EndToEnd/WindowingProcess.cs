using System.Text;
using Confluent.Kafka;
using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.Messaging;
using Streaming.WindowStore;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The Windowing service as a real process on embedded Kafka and a real redis-server, fed with
/// synthetic streams (model "synthetic", event i of stream s has id "s-00000i"), and the check
/// that every event ended up in exactly the count windows it belongs to.
/// </summary>
internal sealed class WindowingProcess
{
    private readonly Dictionary<string, string> _environment;
    private readonly string _logs;

    /// <summary>Creates the topics Windowing reads and writes on <paramref name="kafka"/>.</summary>
    public WindowingProcess(MockKafkaCluster kafka, string redisConnectionString, int size, int slide, string testName, IEnumerable<KeyValuePair<string, string>>? more = null)
    {
        kafka.CreateTopic(Topics.Activations, 4);
        kafka.CreateTopic(Topics.Windows, 2);
        kafka.CreateTopic(Topics.DeadLetterOf(Topics.Activations), 1);
        Options = MockKafkaSettings.Options(kafka);
        (RedisConnectionString, Size, Slide) = (redisConnectionString, size, slide);
        _environment = MockKafkaSettings.Environment(kafka, new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = redisConnectionString,
            ["WindowStore__Size"] = size.ToString(),
            ["WindowStore__Slide"] = slide.ToString(),
        }.Concat(more ?? []));
        _logs = Path.Combine(RepoPaths.Discover().Artifacts, "test-logs", testName);
    }

    /// <summary>Settings for the test's own Kafka clients.</summary>
    public KafkaOptions Options { get; }

    public string RedisConnectionString { get; }

    public int Size { get; }

    public int Slide { get; }

    /// <summary>Starts a Windowing process and waits until it is healthy.</summary>
    public async Task<ServiceProcess> StartAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var paths = RepoPaths.Discover();
        var service = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), _environment, _logs);
        try
        {
            await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Produces events <paramref name="from"/> to <paramref name="to"/> - 1 of every stream, keyed by stream, and waits for the acknowledgements.</summary>
    public static void Produce(IProducer<byte[], byte[]> producer, IReadOnlyList<string> streams, int from, int to)
    {
        var random = new Random(from);
        for (var i = from; i < to; i++)
        {
            foreach (var stream in streams)
            {
                var activation = SyntheticActivations.Create("synthetic", stream, i, random);
                producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(stream), Value = SyntheticActivations.Bytes(activation) });
            }
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// Every stream of <paramref name="eventsPerStream"/> events came out as exactly its count stream windows,
    /// once each (by id): window k holds events k·slide … k·slide + size − 1 in order, and its id is
    /// the digest of those events.
    /// </summary>
    public async Task AssertEveryEventWindowedOnceAsync(TopicReader windows, IReadOnlyList<string> streams, int eventsPerStream, CancellationToken cancellationToken)
    {
        var expectedPerStream = CountWindowRule.ExpectedCount(eventsPerStream, Size, Slide);
        await windows.WaitForAsync(expectedPerStream * streams.Count, TimeSpan.FromSeconds(120), cancellationToken);
        // Anything double-counted would surface as extra windows shortly after.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        // Stream windows only: model-wide windows (when on) are checked by the tests that turn them on.
        var windowsById = windows.Messages.Select(m => WindowReady.Parser.ParseFrom(m.Value))
            .Where(w => !WindowScopes.IsModelWide(w.Scope))
            .GroupBy(w => w.WindowId).Select(g => g.First()).ToList();
        Assert.Equal(expectedPerStream * streams.Count, windowsById.Count);
        using var connection = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString);
        var reader = new RedisWindowReader(connection);
        foreach (var stream in streams)
        {
            var streamWindows = windowsById.Where(w => w.Header.StreamId == stream).OrderBy(w => w.Sequence).ToList();
            Assert.Equal(expectedPerStream, streamWindows.Count);
            for (var k = 0; k < streamWindows.Count; k++)
            {
                var contents = await reader.ReadWindowAsync(streamWindows[k].WindowKey, cancellationToken);
                var expected = Enumerable.Range(k * Slide, Size).Select(i => $"{stream}-{i:D6}").ToList();
                Assert.Equal(expected, contents.Events.Select(e => e.Header.EventId));
                Assert.Equal(WindowIds.Of("synthetic", stream, expected), streamWindows[k].WindowId);
            }
        }
    }
}
