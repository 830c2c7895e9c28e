using System.Diagnostics;
using Streaming.Contracts;
using Streaming.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>Measures appends/s; prints the numbers and checks that every window was still emitted.</summary>
[Collection(RedisFixtureCollection.Name)]
[Trait("Category", "Performance")]
public sealed class RedisWindowWriterThroughputTests(RedisFixture redis, ITestOutputHelper output)
{
    private const int Streams = 8;

    [Theory]
    [InlineData(2_000, 1)]
    [InlineData(20_000, 1_000)]
    public async Task AppendAsync_ManyEvents_EmitsEveryWindowAndReportsRate(int events, int concurrency)
    {
        var context = new WindowTestContext(redis, o => { o.Size = 100; o.Slide = 50; });
        var store = context.CreateWriter();
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

    /// <summary>
    /// The cost of the model-wide window: the same appends with it off and on, alternating in one
    /// run, best of three each; prints the ratio. One in flight is how the Windowing consumer
    /// appends (one event after the other), so the round trip is what matters there.
    /// </summary>
    [Theory]
    [InlineData(2_000, 1)]
    [InlineData(20_000, 1_000)]
    public async Task AppendAsync_ModelWideOnVersusOff_EmitsEveryWindowAndReportsCostRatio(int events, int concurrency)
    {
        var best = new Dictionary<bool, double> { [false] = double.MaxValue, [true] = double.MaxValue };
        var serverUsec = new Dictionary<bool, double> { [false] = double.MaxValue, [true] = double.MaxValue };
        var server = redis.Connection.GetServer(redis.ConnectionString);
        for (var round = 0; round < 3; round++)
        {
            foreach (var modelWide in new[] { false, true })
            {
                var context = new WindowTestContext(redis, o =>
                {
                    o.Size = 100;
                    o.Slide = 50;
                    if (modelWide) WindowTestContext.ModelWide(o, 100, 50);
                });
                var store = context.CreateWriter();
                var batch = Enumerable.Range(0, events).Select(i => WithPayload(Event($"s{i % Streams}", i / Streams))).ToList();
                await store.AppendAsync(Event("warm-up", 0), CancellationToken.None);
                await server.ConfigResetStatisticsAsync();

                var watch = Stopwatch.StartNew();
                var windows = 0;
                foreach (var chunk in batch.Chunk(concurrency))
                {
                    var results = await Task.WhenAll(chunk.Select(e => store.AppendAsync(e, CancellationToken.None)));
                    windows += results.Sum(r => r.WindowsCreated);
                }

                watch.Stop();
                best[modelWide] = Math.Min(best[modelWide], watch.Elapsed.TotalMilliseconds);
                serverUsec[modelWide] = Math.Min(serverUsec[modelWide], await ScriptUsecAsync(server) / events);
                var perStream = events / Streams;
                // The warm-up event is the model's first, so the model-wide windows complete one event earlier.
                var expected = Streams * (1 + ((perStream - 100) / 50)) + (modelWide ? 1 + ((events + 1 - 100) / 50) : 0);
                Assert.Equal(expected, windows);
            }
        }

        output.WriteLine($"{events} appends, {concurrency} in flight: model-wide off {best[false]:0} ms ({events / best[false] * 1000:0}/s), on {best[true]:0} ms ({events / best[true] * 1000:0}/s); on/off time ratio {best[true] / best[false]:0.00}");
        // What Redis itself spends per event in the scripts: free of the client machine's scheduling noise.
        output.WriteLine($"  Redis script time per event: off {serverUsec[false]:0.0} us, on {serverUsec[true]:0.0} us; on/off ratio {serverUsec[true] / serverUsec[false]:0.00}");
    }

    /// <summary>Total microseconds the server spent in EVAL/EVALSHA since the last statistics reset.</summary>
    private static async Task<double> ScriptUsecAsync(StackExchange.Redis.IServer server) =>
        (await server.InfoAsync("commandstats")).SelectMany(g => g)
            .Where(kv => kv.Key.Contains("eval", StringComparison.Ordinal))
            .Sum(kv => double.Parse(kv.Value.Split(',').First(p => p.StartsWith("usec=", StringComparison.Ordinal))[5..], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>About 1 KiB of activations, like one small layer.</summary>
    private static ActivationEvent WithPayload(ActivationEvent ev)
    {
        ev.Layers.Add(new LayerActivation { Layer = "fc1", Values = { Enumerable.Range(0, 256).Select(i => i * 0.01f) } });
        return ev;
    }
}
