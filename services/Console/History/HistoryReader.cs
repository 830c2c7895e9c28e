using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.Console.Options;

namespace Streaming.Console.History;

/// <summary>Reads the console's history back for the pages; every read is bounded by the writer's caps.</summary>
public sealed class HistoryReader(IConnectionMultiplexer redis, IOptions<ConsoleOptions> options)
{
    private readonly HistoryKeys _keys = new(options.Value.KeyPrefix);

    /// <summary>
    /// The streams, most recently updated first, optionally of one model and whose name contains
    /// <paramref name="search"/> (case-insensitive). The list is bounded by Console:MaxStreams.
    /// </summary>
    public async Task<ListPage<StreamState>> StreamsAsync(string? model, string? search, int page, int pageSize)
    {
        var database = redis.GetDatabase();
        var members = await database.SortedSetRangeByRankAsync(_keys.Streams, order: Order.Descending).ConfigureAwait(false);
        var matching = members
            .Select(m => StreamRef.FromMember(m.ToString()))
            .OfType<StreamRef>()
            .Where(s => string.IsNullOrEmpty(model) || s.Model == model)
            .Where(s => string.IsNullOrEmpty(search) || s.Stream.Contains(search, StringComparison.OrdinalIgnoreCase) || s.Model.Contains(search, StringComparison.OrdinalIgnoreCase))
            .ToList();
        page = Math.Max(1, page);
        var rows = matching.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var states = await Task.WhenAll(rows.Select(r => StateAsync(r.Model, r.Stream))).ConfigureAwait(false);
        return new ListPage<StreamState>([.. states.OfType<StreamState>()], matching.Count, page, pageSize);
    }

    /// <summary>The distinct models of the listed streams, for the filters.</summary>
    public async Task<IReadOnlyList<string>> ModelsAsync()
    {
        var members = await redis.GetDatabase().SortedSetRangeByRankAsync(_keys.Streams).ConfigureAwait(false);
        return [.. members.Select(m => StreamRef.FromMember(m.ToString())).OfType<StreamRef>().Select(s => s.Model).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <returns>Null when the stream is unknown (never seen, or its history expired).</returns>
    public async Task<StreamState?> StateAsync(string model, string stream)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(_keys.State(model, stream)).ConfigureAwait(false);
        if (fields.Length == 0) return null;
        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString(), StringComparer.Ordinal);
        return new StreamState(
            model,
            stream,
            Long(map, "windows"),
            Long(map, "alertWindows"),
            Long(map, "alerts"),
            map.GetValueOrDefault("lastWindowId") ?? "",
            Double(map, "lastPValue"),
            map.GetValueOrDefault("lastAlert") == "1",
            map.GetValueOrDefault("lastStatus") ?? "",
            DateTimeOffset.FromUnixTimeMilliseconds(Long(map, "lastAt")),
            Double(map, "alpha") ?? 0);
    }

    /// <summary>The stream's kept windows in time order (they may arrive out of it), optionally within [from, to] (Unix ms).</summary>
    public async Task<IReadOnlyList<DetectionPoint>> WindowsAsync(string model, string stream, long? from, long? to)
    {
        var values = await redis.GetDatabase().ListRangeAsync(_keys.Windows(model, stream)).ConfigureAwait(false);
        var points = new List<DetectionPoint>(values.Length);
        // Stored newest first: read backwards for time order.
        for (var i = values.Length - 1; i >= 0; i--)
        {
            var point = JsonSerializer.Deserialize((string)values[i]!, HistoryJsonContext.Default.DetectionPoint);
            if (point is null || point.Time < (from ?? long.MinValue) || point.Time > (to ?? long.MaxValue)) continue;
            points.Add(point);
        }

        // Stable: windows of the same time keep their arrival order.
        return [.. points.OrderBy(p => p.Time)];
    }

    public async Task<Baseline> BaselineAsync(string model)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(_keys.Baseline(model)).ConfigureAwait(false);
        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString(), StringComparer.Ordinal);
        return new Baseline(Long(map, "windows"), Long(map, "alerts"));
    }

    /// <summary>Alerts newest first: of a stream (model and stream given), of a model, or of all.</summary>
    public async Task<ListPage<AlertRecord>> AlertsAsync(AlertFilter filter, int page, int pageSize)
    {
        var key = (filter.Model, filter.Stream) switch
        {
            ({ Length: > 0 } model, { Length: > 0 } stream) => _keys.StreamAlerts(model, stream),
            ({ Length: > 0 } model, _) => _keys.ModelAlerts(model),
            _ => _keys.Alerts,
        };
        var database = redis.GetDatabase();
        double from = filter.From ?? double.NegativeInfinity, to = filter.To ?? double.PositiveInfinity;
        page = Math.Max(1, page);
        var total = await database.SortedSetLengthAsync(key, from, to).ConfigureAwait(false);
        var ids = await database.SortedSetRangeByScoreAsync(key, from, to, order: Order.Descending, skip: (page - 1) * pageSize, take: pageSize).ConfigureAwait(false);
        var records = await Task.WhenAll(ids.Select(id => AlertAsync(id.ToString()))).ConfigureAwait(false);
        return new ListPage<AlertRecord>([.. records.OfType<AlertRecord>()], total, page, pageSize);
    }

    /// <returns>Null when the alert is unknown or expired.</returns>
    public async Task<AlertRecord?> AlertAsync(string alertId)
    {
        var json = await redis.GetDatabase().StringGetAsync(_keys.Alert(alertId)).ConfigureAwait(false);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, HistoryJsonContext.Default.AlertRecord);
    }

    private static long Long(Dictionary<string, string> map, string field) =>
        long.TryParse(map.GetValueOrDefault(field), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static double? Double(Dictionary<string, string> map, string field) =>
        double.TryParse(map.GetValueOrDefault(field), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
