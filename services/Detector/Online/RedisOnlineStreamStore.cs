using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.Detection.Online;
using Streaming.Detection.WindowTest;

namespace Streaming.Detector.Online;

/// <summary>
/// Detector:Online:State = Redis. Per stream two keys: a list of the last W window events (oldest
/// first) and a hash with the step, the shape they were written for and the Kafka position of the
/// last event applied. One script per event updates both atomically, before the event's offset is
/// stored, so whoever owns the partition next finds the state its committed offset continues from
/// (and skips the events the state already holds).
/// </summary>
internal sealed class RedisOnlineStreamStore(IConnectionMultiplexer redis, IOptions<DetectorOptions> options) : IOnlineStreamStore
{
    // A state written for another shape (model version, window size, layers) is dropped, not mixed in.
    private const string SaveScript = """
        local old = redis.call('HGET', KEYS[2], 'shape')
        if ARGV[1] == '1' or old ~= ARGV[8] then
          redis.call('DEL', KEYS[1])
        end
        if ARGV[1] ~= '1' then
          redis.call('RPUSH', KEYS[1], ARGV[2])
          redis.call('LTRIM', KEYS[1], -tonumber(ARGV[3]), -1)
          redis.call('PEXPIRE', KEYS[1], ARGV[7])
        end
        redis.call('HSET', KEYS[2], 'step', ARGV[4], 'partition', ARGV[5], 'offset', ARGV[6], 'shape', ARGV[8])
        redis.call('PEXPIRE', KEYS[2], ARGV[7])
        return 1
        """;

    private readonly OnlineDetectorOptions _online = options.Value.Online;

    // The Detector serves one calibrated model: its shape is built once, not for every event.
    private (OnlineMmdModel Model, string Shape)? _shape;

    public bool Persists => true;

    public async Task<StoredOnlineStream?> LoadAsync(OnlineMmdModel model, string streamId, CancellationToken cancellationToken)
    {
        var (window, meta) = Keys(model, streamId);
        var database = redis.GetDatabase();
        var metaTask = database.HashGetAllAsync(meta);
        var windowTask = database.ListRangeAsync(window);
        var fields = (await metaTask.WaitAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(e => (string)e.Name!, e => (string?)e.Value);
        var entries = await windowTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!fields.TryGetValue("shape", out var shape) || !string.Equals(shape, ShapeOf(model), StringComparison.Ordinal)
            || !long.TryParse(fields.GetValueOrDefault("step"), NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            || !int.TryParse(fields.GetValueOrDefault("partition"), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(fields.GetValueOrDefault("offset"), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || entries.Length > model.Options.WindowSize)
            return null;

        var decoded = new List<(string, IReadOnlyDictionary<string, float[]>)>(entries.Length);
        foreach (var entry in entries)
        {
            if (OnlineStateCodec.Decode(model, (byte[])entry!) is not { } item) return null;
            decoded.Add(item);
        }
        return new StoredOnlineStream(step, decoded, partition, offset);
    }

    public Task SaveAsync(OnlineMmdModel model, string streamId, long step, byte[]? entry, bool restarted, int partition, long offset, CancellationToken cancellationToken)
    {
        if (!restarted) ArgumentNullException.ThrowIfNull(entry);
        var (window, meta) = Keys(model, streamId);
        return redis.GetDatabase().ScriptEvaluateAsync(SaveScript, [window, meta],
        [
            restarted ? "1" : "0",
            entry ?? [],
            model.Options.WindowSize,
            step,
            partition,
            offset,
            (long)_online.StateTtl.TotalMilliseconds,
            ShapeOf(model),
        ]).WaitAsync(cancellationToken);
    }

    private string ShapeOf(OnlineMmdModel model)
    {
        if (_shape is not { } cached || !ReferenceEquals(cached.Model, model))
            _shape = cached = (model, OnlineStateCodec.Shape(model));
        return cached.Shape;
    }

    private (RedisKey Window, RedisKey Meta) Keys(OnlineMmdModel model, string streamId)
    {
        // Length-prefixed model so that no (model, stream) pair can spell another's key.
        var stream = $"{_online.StateKeyPrefix}:{model.Model.Length}:{model.Model}:{streamId}";
        return ($"{stream}:w", $"{stream}:m");
    }
}
