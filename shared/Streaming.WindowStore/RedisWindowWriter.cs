using Google.Protobuf;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>
/// Writes the sliding windows of event ids per (model, stream), and per model across all its streams
/// (model-wide, <see cref="ModelWideWindowOptions"/>), in Redis, and queues every window in an
/// outbox until it is published: the Windowing service's side of the window store. The Detector
/// reads windows with <see cref="RedisWindowReader"/>. A model-wide window is stored exactly like a
/// stream window, under the reserved stream id "__model" (<see cref="WindowScopes"/>), so it has
/// every guarantee below.
///
/// Consistency: an event's append to its windows is part of one Lua script run (dedupe, store, rings,
/// counters, window snapshots, outbox entries), which a batch shares with the model's other events of
/// that batch, so a crash leaves either all or nothing of it. Kafka delivers at least once; a
/// replayed event hits the dedupe key and changes nothing, so replay neither loses nor double-counts.
///
/// Redis Cluster: every key of a model carries the hash tag {model} (<see cref="WindowKeys"/>). The two
/// global indexes (windows due for a time flush, windows with queued entries) cannot be updated
/// inside a single-slot script, so they are updated right after it. They are hints, repaired
/// idempotently: a duplicate append (the replay that follows a crash before the Kafka offset was
/// committed) re-registers its windows in both, and the flush / peek paths verify the authoritative
/// per-window state before acting on an index entry.
///
/// Window ids and snapshot keys are derived from the window's event ids (<see cref="WindowIds"/>),
/// not from a counter: after Redis loses its last writes, a replay of the same events gives the
/// same ids, and different events can never be given an id already issued.
///
/// Quiet streams: a time flush needs MinSize events that arrived since the stream's previous
/// window, and a stream is in the due index only while it has that many; per-stream state expires
/// with the events after EventTtl without appends, and index entries of expired streams are
/// dropped on their next visit.
/// </summary>
public sealed class RedisWindowWriter
{
    /// <summary>An index entry whose outbox is empty is dropped only after this grace, so a concurrent new window (which re-adds it) cannot be lost.</summary>
    private static readonly TimeSpan OutboxIndexGrace = TimeSpan.FromMinutes(1);

    /// <summary>Outboxes read per pipelined round trip in <see cref="ReadOutboxAsync"/>.</summary>
    private const int OutboxReadChunk = 64;

    private const string RemoveIfNotNewerScript = """
        local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if score and tonumber(score) <= tonumber(ARGV[2]) then
          return redis.call('ZREM', KEYS[1], ARGV[1])
        end
        return 0
        """;

    private readonly IDatabase _db;
    private readonly WindowOptions _options;
    private readonly TimeProvider _time;
    private readonly RedisKey _dueIndex;
    private readonly RedisKey _outboxIndex;

    public RedisWindowWriter(IConnectionMultiplexer redis, IOptions<WindowOptions> options, TimeProvider time)
        : this(redis?.GetDatabase() ?? throw new ArgumentNullException(nameof(redis)), options, time)
    {
    }

    public RedisWindowWriter(IDatabase database, IOptions<WindowOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        var validation = new WindowOptionsValidator().Validate(null, _options);
        if (validation.Failed)
            throw new OptionsValidationException(WindowOptions.SectionName, typeof(WindowOptions), validation.Failures);
        _db = database;
        _time = time;
        _dueIndex = WindowKeys.DueIndex(_options.KeyPrefix);
        _outboxIndex = WindowKeys.OutboxIndex(_options.KeyPrefix);
    }

    /// <summary>
    /// Applies one event exactly once to its (model, stream) window and, unless WindowStore:ModelWide is
    /// disabled, to its model's model-wide window; emits a count window where one is due.
    /// A window this event completes keeps the current activity's W3C trace context
    /// (<see cref="OutboxEntry.TraceParent"/>), so it is published in the event's trace.
    /// </summary>
    /// <remarks>
    /// Both windows live under the model's hash tag (<see cref="WindowKeys"/>), so one atomic script
    /// run checks the event once (one dedupe key), stores it once and counts it in both.
    /// </remarks>
    public async Task<AppendResult> AppendAsync(ActivationEvent ev, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return (await ExecuteAsync([Prepare(ev)], ct).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// Starts a batch of appends that travel to Redis in one pipeline (<see cref="WindowAppendBatch"/>):
    /// the Windowing consumer's way through a backlog. <paramref name="capacity"/> is only a size hint.
    /// </summary>
    public WindowAppendBatch CreateBatch(int capacity = 16) => new(this, capacity);

    /// <summary>
    /// Starts appending a backlog in chunks of <paramref name="chunkSize"/> events, each sent once the
    /// one before it answered, so preparing a chunk overlaps Redis running the previous one
    /// (<see cref="WindowAppendPipeline"/>).
    /// </summary>
    public WindowAppendPipeline CreatePipeline(int chunkSize) => new(this, chunkSize);

    /// <summary>Appends <paramref name="events"/> in order in one pipelined batch (<see cref="CreateBatch"/>), all under the current trace.</summary>
    public Task<IReadOnlyList<AppendResult>> AppendManyAsync(IEnumerable<ActivationEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        var batch = CreateBatch();
        foreach (var ev in events)
            batch.Add(ev);
        return batch.ExecuteAsync(ct);
    }

    /// <summary>Checks one event and builds its part of its model's script run.</summary>
    internal AppendCall Prepare(ActivationEvent ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var header = ev.Header ?? throw new ArgumentException("The event has no header.", nameof(ev));
        if (string.IsNullOrEmpty(header.EventId))
            throw new ArgumentException("The event header has no event_id; it is needed for de-duplication.", nameof(ev));
        WindowKeys.ValidateIds(header.Model, header.StreamId);

        var now = _time.GetUtcNow();
        var trace = OutboxTrace.Capture();
        var stream = new WindowKeys(_options.KeyPrefix, header.Model, header.StreamId);
        RedisValue[] args =
        [
            ev.ToByteArray(),
            header.EventId,
            header.Timestamp?.ToByteArray() ?? [],
            header.ModelVersion,
            WindowMessageIds.Next(),
            _options.ModelWide.Enabled ? WindowMessageIds.Next() : RedisValue.EmptyString,
            trace.Parent,
            trace.State,
        ];
        return new AppendCall(stream, stream.Dedupe(header.EventId), stream.Event(header.EventId), args, now.ToUnixTimeMilliseconds(), CreatedTicks(now));
    }

    /// <summary>
    /// Sends <paramref name="events"/> in one pipeline: one append script run per model they touch
    /// (at most <see cref="ModelRun.MaxEvents"/> events each, in the order added), then the index
    /// upkeep the runs call for in a second pipeline.
    /// </summary>
    internal async Task<IReadOnlyList<AppendResult>> ExecuteAsync(IReadOnlyList<AppendCall> events, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (events.Count == 0) return [];
        var runs = GroupByModel(events);
        var pipeline = _db.CreateBatch();
        var scripts = runs.Select(run => pipeline.ScriptEvaluateAsync(WindowScripts.Append, run.ScriptKeys(), run.ScriptArgs(FixedArgs(run.Calls[0])))).ToArray();
        pipeline.Execute();
        // All awaited whatever happens to any, so no failure goes unobserved; the first one is thrown.
        await Task.WhenAll(scripts).ConfigureAwait(false);

        var results = new AppendResult[events.Count];
        var indexPipeline = _db.CreateBatch();
        var indexUpdates = new List<Task>();
        for (var r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var reply = ScriptReply.Of(await scripts[r].ConfigureAwait(false), run.Calls.Count, run.Windows.Count);
            for (var i = 0; i < run.Calls.Count; i++)
                results[run.EventIndexes[i]] = new AppendResult(reply.Duplicate(i), reply.Created(i));
            var withDuplicates = run.WindowsWithDuplicates(reply);
            for (var w = 0; w < run.Windows.Count; w++)
                AddIndexUpdates(indexPipeline, run.Windows[w].Keys, run.Windows[w].Shape, run.Calls[0].NowMs, reply.Window(w), withDuplicates[w], indexUpdates);
        }

        if (indexUpdates.Count > 0)
        {
            indexPipeline.Execute();
            await Task.WhenAll(indexUpdates).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>The events' runs: per model in the order added, a new run each <see cref="ModelRun.MaxEvents"/> events.</summary>
    private List<ModelRun> GroupByModel(IReadOnlyList<AppendCall> events)
    {
        var runs = new List<ModelRun>();
        var open = new Dictionary<string, ModelRun>(StringComparer.Ordinal);
        for (var e = 0; e < events.Count; e++)
        {
            var call = events[e];
            if (!open.TryGetValue(call.Keys.Model, out var run) || run.IsFull)
            {
                var modelWide = _options.ModelWide.Enabled
                    ? (WindowKeys.ModelWide(_options.KeyPrefix, call.Keys.Model), WindowShape.Of(_options.ModelWide))
                    : ((WindowKeys, WindowShape)?)null;
                run = new ModelRun(modelWide, WindowShape.Of(_options));
                open[call.Keys.Model] = run;
                runs.Add(run);
            }

            run.Add(call, e);
        }

        return runs;
    }

    /// <summary>ARGV of a run before the per-window ones (the window count, which <see cref="ModelRun"/> adds), at the time of its first event.</summary>
    private RedisValue[] FixedArgs(AppendCall first) =>
    [
        (long)_options.EventTtl.TotalMilliseconds,
        (long)_options.DedupeTtl.TotalMilliseconds,
        _options.Size,
        _options.Slide,
        _options.ModelWide.Enabled ? _options.ModelWide.Size : 0,
        _options.ModelWide.Slide,
        first.NowMs,
        first.CreatedAt,
        WindowIds.DigestHexDigits,
        first.Keys.ModelBase,
    ];

    /// <summary>
    /// Index upkeep (see class comment) after one window's part of a run: only when something changed
    /// or on a replay, so the common run needs none. A window enters the due index only once it has
    /// MinSize pending events: below that a time flush could not emit anything for it anyway.
    /// </summary>
    private void AddIndexUpdates(IDatabaseAsync target, WindowKeys keys, WindowShape shape, long nowMs, WindowReply reply, bool anyDuplicate, List<Task> updates)
    {
        if (reply.PendingCount >= shape.MinSize && (reply.ReachedMinSize(shape.MinSize) || anyDuplicate))
            // Always overwrite: the script's value is authoritative, and a fresh score keeps a
            // concurrent flush (which drops entries no newer than the score it read) from removing it.
            updates.Add(target.SortedSetAddAsync(_dueIndex, keys.Tag, reply.PendingSinceMs));
        if (reply.OutboxLength > 0 && (reply.Created > 0 || anyDuplicate))
            updates.Add(target.SortedSetAddAsync(_outboxIndex, keys.Tag, nowMs));
    }

    /// <summary>
    /// Emits a "time" window for every window (of a stream, or model-wide) whose oldest
    /// not-yet-windowed event waited at least its MaxWait and that received at least its MinSize
    /// events since its previous window. Returns the number of windows emitted.
    /// </summary>
    /// <remarks>
    /// Only windows with MinSize pending events are in the due index, so a stream that never gets
    /// that many costs nothing here. Every entry visited leaves the index unless it is still
    /// pending and not yet due, so no entry is visited on every flush forever.
    /// </remarks>
    public async Task<int> FlushDueAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var shortestWait = _options.ModelWide.Enabled && _options.ModelWide.MaxWait < _options.MaxWait ? _options.ModelWide.MaxWait : _options.MaxWait;
        var candidates = await _db.SortedSetRangeByScoreWithScoresAsync(_dueIndex, double.NegativeInfinity, nowMs - (long)shortestWait.TotalMilliseconds).ConfigureAwait(false);

        var emitted = 0;
        foreach (var candidate in candidates)
        {
            ct.ThrowIfCancellationRequested();
            var tag = candidate.Element.ToString();
            var keys = WindowKeys.FromTag(_options.KeyPrefix, tag);
            var shape = keys.IsModelWide ? WindowShape.Of(_options.ModelWide) : WindowShape.Of(_options);
            var dueBefore = nowMs - (long)shape.MaxWait.TotalMilliseconds;
            if (candidate.Score > dueBefore)
                continue; // Only the other kind of window waits this little; this one is not due yet.

            RedisKey[] scriptKeys = [keys.Ring, keys.RingTimestamps, keys.State, keys.Outbox];
            RedisValue[] args =
            [
                nowMs,
                (long)shape.MaxWait.TotalMilliseconds,
                shape.MinSize,
                keys.WindowKeyPrefix,
                WindowMessageIds.Next(),
                CreatedTicks(now),
                (long)_options.EventTtl.TotalMilliseconds,
                WindowIds.DigestHexDigits,
                keys.IsModelWide ? keys.ModelBase : keys.EventKeyPrefix,
                keys.IsModelWide ? "1" : "0",
            ];
            var reply = (RedisResult[])(await _db.ScriptEvaluateAsync(WindowScripts.Flush, scriptKeys, args).ConfigureAwait(false))!;
            var created = (long)reply[0] == 1;
            var pendingCount = (long)reply[1];
            var pendingSinceMs = (long)reply[2];

            if (created)
            {
                emitted++;
                await _db.SortedSetAddAsync(_outboxIndex, tag, nowMs).ConfigureAwait(false);
            }

            if (!created && pendingCount >= shape.MinSize && pendingSinceMs > dueBefore)
            {
                // Enough events, not due yet (the entry's score was older than the pending batch).
                await _db.SortedSetAddAsync(_dueIndex, tag, pendingSinceMs, SortedSetWhen.Exists).ConfigureAwait(false);
            }
            else
            {
                // Emitted, too few new events, or the window's state expired. An append that makes
                // it due again re-registers it with the time of a later event, a score above the
                // one read here, which this removal leaves alone.
                await RemoveIfNotNewerAsync(_dueIndex, tag, (long)candidate.Score).ConfigureAwait(false);
            }
        }

        return emitted;
    }

    /// <summary>
    /// Returns up to <paramref name="max"/> queued windows without removing them (per stream in
    /// creation order). Publish each, then <see cref="AckOutboxAsync(OutboxEntry, CancellationToken)"/> it.
    /// Entries that hold no window are left out here; <see cref="ReadOutboxAsync"/> reports them.
    /// </summary>
    public async Task<IReadOnlyList<OutboxEntry>> PeekOutboxAsync(int max, CancellationToken ct) =>
        (await ReadOutboxAsync(max, ct).ConfigureAwait(false)).Windows;

    /// <summary>
    /// Reads up to <paramref name="max"/> queued entries without removing them (per stream in
    /// creation order): the windows to publish, each with its WindowReady built from the entry's
    /// fields (<see cref="OutboxRecord"/>), and entries that hold no window, to be dead-lettered and
    /// removed instead of blocking their outbox.
    /// </summary>
    /// <remarks>
    /// Why LRANGE + LREM of the exact bytes: peeking removes nothing, so a crash anywhere before the
    /// ack leaves the entry in place and the next instance publishes it again with the same window_id
    /// and header (at-least-once; consumers dedupe by window_id). Every entry is unique (it holds its
    /// header id, a new UUID), so LREM of its bytes removes exactly that entry. RPOPLPUSH to a processing list would
    /// need a recovery sweep, and a Redis Stream with consumer groups would need XAUTOCLAIM
    /// bookkeeping; neither adds anything for one publisher per partition, and both are harder to
    /// keep per slot.
    /// </remarks>
    public async Task<OutboxBatch> ReadOutboxAsync(int max, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var tags = await _db.SortedSetRangeByRankAsync(_outboxIndex).ConfigureAwait(false);
        var windows = new List<OutboxEntry>(Math.Min(max, 1024));
        var corrupt = new List<CorruptOutboxEntry>();
        var pruneBefore = (_time.GetUtcNow() - OutboxIndexGrace).ToUnixTimeMilliseconds();

        // The outboxes are read OutboxReadChunk at a time in one pipelined round trip each, not one
        // round trip per stream; the entries are taken in index order as before.
        for (var chunkStart = 0; chunkStart < tags.Length && windows.Count + corrupt.Count < max; chunkStart += OutboxReadChunk)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = tags.AsSpan(chunkStart, Math.Min(OutboxReadChunk, tags.Length - chunkStart)).ToArray();
            var wanted = max - windows.Count - corrupt.Count;
            var pipeline = _db.CreateBatch();
            var reads = chunk.Select(member => pipeline.ListRangeAsync(WindowKeys.FromTag(_options.KeyPrefix, member.ToString()).Outbox, 0, wanted - 1)).ToArray();
            pipeline.Execute();
            await Task.WhenAll(reads).ConfigureAwait(false);

            var prunes = new List<Task>();
            for (var i = 0; i < chunk.Length && windows.Count + corrupt.Count < max; i++)
            {
                var tag = chunk[i].ToString();
                var keys = WindowKeys.FromTag(_options.KeyPrefix, tag);
                var outboxKey = keys.Outbox.ToString();
                var payloads = await reads[i].ConfigureAwait(false);
                if (payloads.Length == 0)
                {
                    prunes.Add(RemoveIfNotNewerAsync(_outboxIndex, tag, pruneBefore));
                    continue;
                }

                foreach (var payload in payloads.Take(max - windows.Count - corrupt.Count))
                {
                    var bytes = (byte[])payload!;
                    if (OutboxRecord.TryRead(outboxKey, keys, bytes, out var entry, out var error))
                        windows.Add(entry);
                    else
                        corrupt.Add(new CorruptOutboxEntry(outboxKey, bytes, $"Outbox '{outboxKey}' holds an entry that is not a WindowReady ({bytes.Length} bytes): {error}"));
                }
            }

            await Task.WhenAll(prunes).ConfigureAwait(false);
        }

        return new OutboxBatch(windows, corrupt);
    }

    /// <summary>Removes a published entry from its outbox. Acking twice is harmless.</summary>
    public Task AckOutboxAsync(OutboxEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ct.ThrowIfCancellationRequested();
        return _db.ListRemoveAsync(entry.OutboxKey, entry.Stored, count: 1);
    }

    /// <summary>Removes a corrupt entry (after it was dead-lettered). Removing twice is harmless.</summary>
    public Task AckOutboxAsync(CorruptOutboxEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ct.ThrowIfCancellationRequested();
        return _db.ListRemoveAsync(entry.OutboxKey, entry.Payload, count: 1);
    }

    private Task RemoveIfNotNewerAsync(RedisKey index, string member, long maxScore) =>
        _db.ScriptEvaluateAsync(RemoveIfNotNewerScript, [index], [member, maxScore]);

    /// <summary>Window creation time for the outbox entry: 100 ns ticks since the Unix epoch, as text (Lua numbers would round them).</summary>
    private static string CreatedTicks(DateTimeOffset now) =>
        (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
