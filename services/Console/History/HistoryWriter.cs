using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.Console.Options;
using Streaming.Contracts;

namespace Streaming.Console.History;

/// <summary>
/// Records detections and alerts in Redis, each in one Lua script, so a message is recorded whole
/// or not at all, and at most once (a redelivered window or alert is recognised and skipped). Every
/// collection is trimmed as it grows and every key expires with <see cref="ConsoleOptions.HistoryTtl"/>,
/// so the history stays bounded whatever the traffic. The scripts touch several keys: a single
/// Redis (or a cluster with the keys on one slot) is assumed.
/// </summary>
public sealed class HistoryWriter(IConnectionMultiplexer redis, IOptions<ConsoleOptions> options, TimeProvider timeProvider)
{
    // KEYS: seen, state, windows, streams, baseline
    // ARGV: ttl s, point json, windows kept, score ms, member, alert 0/1, window id, p-value, model, stream,
    //       alpha, clean 0/1, max streams, status, live channel, live json, window time ms
    private const string DetectionScript = """
        if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
        redis.call('LPUSH', KEYS[3], ARGV[2])
        redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
        redis.call('EXPIRE', KEYS[3], ARGV[1])
        redis.call('HINCRBY', KEYS[2], 'windows', 1)
        if ARGV[6] == '1' then redis.call('HINCRBY', KEYS[2], 'alertWindows', 1) end
        redis.call('HSET', KEYS[2], 'model', ARGV[9], 'stream', ARGV[10], 'lastWindowId', ARGV[7], 'lastPValue', ARGV[8],
            'lastAlert', ARGV[6], 'lastAt', ARGV[17], 'alpha', ARGV[11], 'lastStatus', ARGV[14])
        redis.call('EXPIRE', KEYS[2], ARGV[1])
        if ARGV[12] == '1' then
            redis.call('HINCRBY', KEYS[5], 'windows', 1)
            if ARGV[6] == '1' then redis.call('HINCRBY', KEYS[5], 'alerts', 1) end
            redis.call('EXPIRE', KEYS[5], ARGV[1])
        end
        redis.call('ZADD', KEYS[4], ARGV[4], ARGV[5])
        redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[1]) * 1000)
        local extra = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[13])
        if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[4], 0, extra - 1) end
        redis.call('PUBLISH', ARGV[15], ARGV[16])
        return 1
        """;

    // KEYS: alert, alerts, stream alerts, state, model alerts
    // ARGV: json, ttl s, score ms, alert id, max alerts, alerts per stream, alert key prefix, model, stream
    private const string AlertScript = """
        if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
        local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
        if extra > 0 then
            local evicted = redis.call('ZPOPMIN', KEYS[2], extra)
            for i = 1, #evicted, 2 do redis.call('DEL', ARGV[7] .. evicted[i]) end
        end
        redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
        extra = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[6])
        if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[3], 0, extra - 1) end
        redis.call('EXPIRE', KEYS[3], ARGV[2])
        redis.call('ZADD', KEYS[5], ARGV[3], ARGV[4])
        extra = redis.call('ZCARD', KEYS[5]) - tonumber(ARGV[5])
        if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[5], 0, extra - 1) end
        redis.call('EXPIRE', KEYS[5], ARGV[2])
        redis.call('HINCRBY', KEYS[4], 'alerts', 1)
        redis.call('HSET', KEYS[4], 'model', ARGV[8], 'stream', ARGV[9])
        redis.call('EXPIRE', KEYS[4], ARGV[2])
        return 1
        """;

    private readonly ConsoleOptions _options = options.Value;
    private readonly HistoryKeys _keys = new(options.Value.KeyPrefix);

    /// <returns>False when the window was recorded before (a redelivery).</returns>
    public async Task<bool> RecordAsync(DetectionResult detection)
    {
        var stream = HistoryMapping.StreamOf(detection.Header);
        var point = HistoryMapping.ToPoint(detection);
        var ttl = (long)_options.HistoryTtl.TotalSeconds;
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var live = JsonSerializer.Serialize(new LiveDetection(stream.Model, stream.Stream, point), HistoryJsonContext.Default.LiveDetection);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            DetectionScript,
            [
                _keys.SeenWindow(stream.Model, detection.WindowId), _keys.State(stream.Model, stream.Stream), _keys.Windows(stream.Model, stream.Stream),
                _keys.Streams, _keys.Baseline(stream.Model),
            ],
            [
                ttl, JsonSerializer.Serialize(point, HistoryJsonContext.Default.DetectionPoint), _options.WindowsPerStream, now, stream.ToMember(),
                point.Alert ? "1" : "0", detection.WindowId, Invariant(point.PValue), stream.Model, stream.Stream, Invariant(point.Alpha),
                point.AttackShare == 0 ? "1" : "0", _options.MaxStreams, point.Status, _keys.LiveChannel, live, point.Time,
            ]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <returns>False when the alert was recorded before (a redelivery).</returns>
    public async Task<bool> RecordAsync(Alert alert)
    {
        var record = HistoryMapping.ToRecord(alert);
        var ttl = (long)_options.HistoryTtl.TotalSeconds;
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            AlertScript,
            [_keys.Alert(record.AlertId), _keys.Alerts, _keys.StreamAlerts(record.Model, record.Stream), _keys.State(record.Model, record.Stream), _keys.ModelAlerts(record.Model)],
            [
                JsonSerializer.Serialize(record, HistoryJsonContext.Default.AlertRecord), ttl, record.Time, record.AlertId,
                _options.MaxAlerts, _options.AlertsPerStream, _keys.AlertPrefix, record.Model, record.Stream,
            ]).ConfigureAwait(false);
        return (long)result == 1;
    }

    private static string Invariant(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
