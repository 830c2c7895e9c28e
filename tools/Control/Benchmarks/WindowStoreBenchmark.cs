using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.WindowStore;

namespace Streaming.Control.Benchmarks;

/// <summary>
/// The window store alone on a real redis-server: appends/s one event at a time (how the Windowing
/// consumer appended before batches) against pipelined batches, sent in one chunk or in chunks that
/// overlap Redis (<see cref="WindowAppendPipeline"/>), in one run, with what Redis itself spent in
/// the scripts per event and the memory the run's keys hold per event (events, dedupe marks, rings,
/// window snapshots: everything the store keeps until it expires).
/// </summary>
internal sealed class WindowStoreBenchmark(IConnectionMultiplexer redis, string connectionString, WindowOptions shape, TextWriter output)
{
    public sealed record Result(double EventsPerSecond, double ServerMicrosPerEvent, double ServerBytesPerEvent, int Windows);

    /// <summary>One-at-a-time, batched in one chunk and batched in chunks of <paramref name="appendChunk"/>, alternating, <paramref name="rounds"/> rounds; the best of each.</summary>
    public async Task<(Result Single, Result Batched, Result Chunked)> RunAsync(int singleEvents, int batchedEvents, int batchSize, int appendChunk, int streams, int values, int rounds, CancellationToken ct)
    {
        Result? single = null, batched = null, chunked = null;
        for (var round = 1; round <= rounds; round++)
        {
            var one = await MeasureAsync(singleEvents, streams, values, batch: 1, chunk: 1, ct);
            var many = await MeasureAsync(batchedEvents, streams, values, batchSize, batchSize, ct);
            var inChunks = await MeasureAsync(batchedEvents, streams, values, batchSize, appendChunk, ct);
            output.WriteLine(FormattableString.Invariant($"  round {round}: one at a time {one.EventsPerSecond:F0}/s, batches of {batchSize} {many.EventsPerSecond:F0}/s, in chunks of {appendChunk} {inChunks.EventsPerSecond:F0}/s"));
            single = Best(single, one);
            batched = Best(batched, many);
            chunked = Best(chunked, inChunks);
        }

        return (single!, batched!, chunked!);
    }

    private static Result Best(Result? best, Result result) => best is null || result.EventsPerSecond > best.EventsPerSecond ? result : best;

    private async Task<Result> MeasureAsync(int events, int streams, int values, int batch, int chunk, CancellationToken ct)
    {
        var options = Copy(shape);
        options.KeyPrefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        var writer = new RedisWindowWriter(redis, Options.Create(options), TimeProvider.System);
        var data = BenchActivations.Interleaved(streams, events, values, options.KeyPrefix);
        var server = redis.GetServer(connectionString);
        await writer.AppendAsync(data[0], ct);   // script load, connection warm
        await server.ConfigResetStatisticsAsync();
        var memoryBefore = await UsedMemoryAsync(server);

        var windows = 0;
        var watch = Stopwatch.StartNew();
        if (batch == 1)
        {
            foreach (var ev in data.Skip(1))
                windows += (await writer.AppendAsync(ev, ct)).WindowsCreated;
        }
        else
        {
            // As the Windowing consumer appends a batch: in chunks, each prepared while Redis runs the one before.
            foreach (var part in data.Skip(1).Chunk(batch))
            {
                await using var pipeline = writer.CreatePipeline(chunk);
                foreach (var ev in part)
                    await pipeline.AddAsync(ev, ct);
                windows += (await pipeline.CompleteAsync(ct)).Sum(r => r.WindowsCreated);
            }
        }

        watch.Stop();
        var appended = data.Count - 1;
        var serverMicros = await ScriptMicrosAsync(server) / appended;
        var bytesPerEvent = (double)(await UsedMemoryAsync(server) - memoryBefore) / appended;
        await server.FlushDatabaseAsync();
        return new Result(appended / watch.Elapsed.TotalSeconds, serverMicros, bytesPerEvent, windows);
    }

    /// <summary>Bytes the server's allocator holds (INFO memory used_memory): the keys, their expiry entries and their share of the hash tables.</summary>
    private static async Task<long> UsedMemoryAsync(IServer server) =>
        long.Parse((await server.InfoAsync("memory")).SelectMany(g => g).First(kv => kv.Key == "used_memory").Value, CultureInfo.InvariantCulture);

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
