using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.WindowStore;

namespace Streaming.Control.Benchmarks;

/// <summary>
/// The window store alone on a real redis-server: appends/s one event at a time (how the Windowing
/// consumer appended before batches) against pipelined batches, in one run, with what Redis itself
/// spent in the scripts per event.
/// </summary>
internal sealed class WindowStoreBenchmark(IConnectionMultiplexer redis, string connectionString, WindowOptions shape, TextWriter output)
{
    public sealed record Result(double EventsPerSecond, double ServerMicrosPerEvent, int Windows);

    /// <summary>One-at-a-time and batched, alternating, <paramref name="rounds"/> rounds; the best of each.</summary>
    public async Task<(Result Single, Result Batched)> RunAsync(int singleEvents, int batchedEvents, int batchSize, int streams, int values, int rounds, CancellationToken ct)
    {
        Result? single = null, batched = null;
        for (var round = 1; round <= rounds; round++)
        {
            var one = await MeasureAsync(singleEvents, streams, values, batch: 1, ct);
            var many = await MeasureAsync(batchedEvents, streams, values, batchSize, ct);
            output.WriteLine(FormattableString.Invariant($"  round {round}: one at a time {one.EventsPerSecond:F0}/s, batches of {batchSize} {many.EventsPerSecond:F0}/s"));
            single = single is null || one.EventsPerSecond > single.EventsPerSecond ? one : single;
            batched = batched is null || many.EventsPerSecond > batched.EventsPerSecond ? many : batched;
        }

        return (single!, batched!);
    }

    private async Task<Result> MeasureAsync(int events, int streams, int values, int batch, CancellationToken ct)
    {
        var options = Copy(shape);
        options.KeyPrefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        var writer = new RedisWindowWriter(redis, Options.Create(options), TimeProvider.System);
        var data = BenchActivations.Interleaved(streams, events, values, options.KeyPrefix);
        var server = redis.GetServer(connectionString);
        await writer.AppendAsync(data[0], ct);   // script load, connection warm
        await server.ConfigResetStatisticsAsync();

        var windows = 0;
        var watch = Stopwatch.StartNew();
        if (batch == 1)
        {
            foreach (var ev in data.Skip(1))
                windows += (await writer.AppendAsync(ev, ct)).WindowsCreated;
        }
        else
        {
            foreach (var chunk in data.Skip(1).Chunk(batch))
                windows += (await writer.AppendManyAsync(chunk, ct)).Sum(r => r.WindowsCreated);
        }

        watch.Stop();
        var appended = data.Count - 1;
        var serverMicros = await ScriptMicrosAsync(server) / appended;
        await server.FlushDatabaseAsync();
        return new Result(appended / watch.Elapsed.TotalSeconds, serverMicros, windows);
    }

    /// <summary>Microseconds the server spent in EVAL/EVALSHA since the last statistics reset.</summary>
    private static async Task<double> ScriptMicrosAsync(IServer server) =>
        (await server.InfoAsync("commandstats")).SelectMany(g => g)
            .Where(kv => kv.Key.Contains("eval", StringComparison.Ordinal))
            .Sum(kv => double.Parse(kv.Value.Split(',').First(p => p.StartsWith("usec=", StringComparison.Ordinal))[5..], CultureInfo.InvariantCulture));

    private static WindowOptions Copy(WindowOptions o) => new()
    {
        Size = o.Size,
        Slide = o.Slide,
        MinSize = o.MinSize,
        MaxWait = o.MaxWait,
        EventTtl = o.EventTtl,
        DedupeTtl = o.DedupeTtl,
        ModelWide = new ModelWideWindowOptions { Enabled = o.ModelWide.Enabled, Size = o.ModelWide.Size, Slide = o.ModelWide.Slide, MinSize = o.ModelWide.MinSize, MaxWait = o.ModelWide.MaxWait },
    };
}
