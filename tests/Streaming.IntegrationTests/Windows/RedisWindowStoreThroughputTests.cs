using System.Diagnostics;
using Streaming.Contracts;
using Streaming.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Streaming.IntegrationTests.Windows.WindowTestContext;

namespace Streaming.IntegrationTests.Windows;

/// <summary>Measures appends/s; prints the numbers and checks that every window was still emitted.</summary>
[Collection(RedisFixtureCollection.Name)]
[Trait("Category", "Performance")]
public sealed class RedisWindowStoreThroughputTests(RedisFixture redis, ITestOutputHelper output)
{
    private const int Streams = 8;

    [Theory]
    [InlineData(2_000, 1)]
    [InlineData(20_000, 1_000)]
    public async Task AppendAsync_ManyEvents_EmitsEveryWindowAndReportsRate(int events, int concurrency)
    {
        var context = new WindowTestContext(redis, o => { o.Size = 100; o.Slide = 50; });
        var store = context.CreateStore();
        var batch = Enumerable.Range(0, events).Select(i => WithPayload(Event($"s{i % Streams}", i / Streams))).ToList();
        await store.AppendAsync(Event("warm-up", 0), CancellationToken.None);
        var server = redis.Connection.GetServer(redis.ConnectionString);
        await server.ConfigResetStatisticsAsync();

        var watch = Stopwatch.StartNew();
        var windows = 0;
        foreach (var chunk in batch.Chunk(concurrency))
        {
            var results = await Task.WhenAll(chunk.Select(e => store.AppendAsync(e, CancellationToken.None)));
            windows += results.Sum(r => r.WindowsCreated);
        }

        watch.Stop();

        var rate = events / watch.Elapsed.TotalSeconds;
        output.WriteLine($"{events} appends, {concurrency} in flight: {watch.Elapsed.TotalMilliseconds:0} ms, {rate:0} appends/s, {windows} windows");
        // Server-side cost per script call: what the server can sustain, whatever the client machine's load.
        foreach (var stat in (await server.InfoAsync("commandstats")).SelectMany(g => g).Where(kv => kv.Key.Contains("eval", StringComparison.Ordinal)))
            output.WriteLine($"{stat.Key}: {stat.Value}");
        var perStream = events / Streams;
        Assert.Equal(Streams * (1 + ((perStream - 100) / 50)), windows);
    }

    /// <summary>About 1 KiB of activations, like one small layer.</summary>
    private static ActivationEvent WithPayload(ActivationEvent ev)
    {
        ev.Layers.Add(new LayerActivation { Layer = "fc1", Values = { Enumerable.Range(0, 256).Select(i => i * 0.01f) } });
        return ev;
    }
}
