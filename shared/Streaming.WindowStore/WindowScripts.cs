namespace Streaming.WindowStore;

/// <summary>
/// The Lua scripts that make appending and window creation atomic. A script runs alone on the
/// server, so "dedupe check, store, append, maybe snapshot a window and queue it for publishing"
/// either happens completely or not at all, whatever crashes around it.
/// The outbox entry holds the window's plain fields (<see cref="OutboxRecord"/>); its WindowReady is
/// built in C# when the outbox is read, so no copy of the message schema lives here. Whether a count
/// window closes is <see cref="CountWindowRule"/>'s Lua function.
/// </summary>
internal static class WindowScripts
{
    // Shared by both scripts: the entry fields, the count rule and the window emission.
    // The window id and snapshot key end in a digest of the window's event ids (WindowIds.Digest
    // computes the same in C#): the same events always give the same id, different events never
    // do, whatever Redis forgot. The 'seq' counter stays informational (WindowReady.sequence).
    private const string Prelude = OutboxRecord.LuaFunctions + CountWindowRule.LuaFunction + """
        -- Each id's "<length>:" is looked up, not formatted: ids mostly share a few lengths, and
        -- formatting a number and building a string per id cost as much as the SHA-1 itself.
        local lengthPrefixes = {}
        local function digestOf(ring, hexDigits)
          local ids = redis.call('LRANGE', ring, 0, -1)
          local parts = {}
          for i, id in ipairs(ids) do
            local length = #id
            local prefix = lengthPrefixes[length]
            if not prefix then
              prefix = length .. ':'
              lengthPrefixes[length] = prefix
            end
            parts[2 * i - 1] = prefix
            parts[2 * i] = id
          end
          return string.sub(redis.sha1hex(table.concat(parts)), 1, hexDigits)
        end
        -- How a window's ring names its events: a stream window by event id under its stream's
        -- "ev:" prefix, the model-wide window by "stream/event_id" under the model's keys
        -- (WindowKeys.EventKeyOfMember is the same in C#).
        local function streamEventKeys(eventPrefix)
          return function(id) return eventPrefix .. id end
        end
        local function modelWideEventKeys(modelBase)
          return function(member)
            local slash = string.find(member, '/', 1, true)
            if not slash or slash == 1 then return modelBase .. ':' .. member end
            return modelBase .. string.sub(member, 1, slash - 1) .. ':ev:' .. string.sub(member, slash + 1)
          end
        end
        -- Drops the ring's oldest ids whose events expired (EventTtl): they expire oldest first, and a
        -- window of a quiet stream must not name events nobody can read any more. Event keys carry
        -- the model's hash tag like the ring, so this stays in one Cluster slot.
        -- Returns how many ids it dropped, so the append knows the ring's length without asking.
        local function trimExpired(ring, ringts, eventKeyOf)
          local dropped = 0
          while true do
            local oldest = redis.call('LINDEX', ring, 0)
            if not oldest or redis.call('EXISTS', eventKeyOf(oldest)) == 1 then return dropped end
            redis.call('LPOP', ring)
            redis.call('LPOP', ringts)
            dropped = dropped + 1
          end
        end
        -- The trace context of the event that completed a window (OutboxTrace reads it back), bounded here too.
        local function traceFields(parent, tracestate)
          if not parent or parent == '' or #parent > 512 then return '' end
          if not tracestate or #tracestate > 512 then tracestate = '' end
          return field('tp', parent) .. field('ts', tracestate)
        end
        -- Snapshots the ring into a window key named by its contents, queues its entry, resets the counter.
        local function emit(ring, ringts, state, outbox, windowPrefix, trigger, headerId, created, windowTtlMs, hexDigits, trace)
          local seq = redis.call('HINCRBY', state, 'seq', 1)
          local digest = digestOf(ring, hexDigits)
          local windowKey = windowPrefix .. digest
          redis.call('COPY', ring, windowKey, 'REPLACE')
          redis.call('PEXPIRE', windowKey, windowTtlMs)
          local size = redis.call('LLEN', windowKey)
          local entry = record(field('id', headerId) .. field('created', created)
            .. field('digest', digest) .. field('seq', string.format('%d', seq)) .. field('size', string.format('%d', size))
            .. field('trigger', trigger) .. field('mv', redis.call('HGET', state, 'mv'))
            .. field('first', redis.call('LINDEX', ringts, 0)) .. field('last', redis.call('LINDEX', ringts, -1))
            .. (trace or ''))
          redis.call('RPUSH', outbox, entry)
          -- An entry outliving its snapshot would only be published to be found empty; the newest
          -- snapshot expires together with the outbox, so an idle stream leaves nothing behind.
          redis.call('PEXPIRE', outbox, windowTtlMs)
          redis.call('HSET', state, 'count', 0)
          redis.call('HDEL', state, 'since')
        end

        """;

    /// <summary>Arguments of <see cref="Append"/> per event, after the per-window ones.</summary>
    public const int AppendArgsPerEvent = 9;

    /// <summary>
    /// Appends N events of one model, in order, each to its stream's window and (when on) to the
    /// model's model-wide window: the model's events of a consumed batch travel in one script run.
    /// KEYS: per window W (the model-wide one first when on, then each stream's) its ring, ringts,
    ///       state and outbox; then per event its dedupe key and its event key.
    /// ARGV: event ttl ms, dedupe ttl ms, size, slide, model-wide size (0: no model-wide window),
    ///       model-wide slide, now ms, now (100 ns ticks since the Unix epoch), window id hex digits,
    ///       the model's key base ("prefix:{model}:"), W;
    ///       then per window its stream id ("__model" for the model-wide one);
    ///       then per event: its stream window's number (1-based, in KEYS' order), event bytes,
    ///       event id, event timestamp bytes, model version, header id of a stream window it closes,
    ///       header id of a model-wide window it closes, traceparent and tracestate of the event
    ///       (empty when none; see <see cref="OutboxTrace"/>).
    /// The model-wide ring names an event "stream/event_id" (WindowIds.ModelWideMember).
    /// Returns {N flags (-1 duplicate, else the windows the event completed: 0, 1 or 2)}, then per
    /// window {pending count, pending since ms, outbox length, events applied, windows created}.
    /// </summary>
    /// <remarks>
    /// The run is atomic as a whole, which is more than each event needs: every event is checked,
    /// stored and counted as if appended alone, in order, and a window closes at exactly the event
    /// it would close at alone (the ring is brought up to date before each snapshot). An event is
    /// marked seen and stored once for both its windows. What the batch saves is bookkeeping, not
    /// guarantees: a ring gets one push per window instead of one per event, and a window's counter,
    /// model version and expiry are written once per run instead of once per event. Every window's
    /// state is read (and its expired ids dropped) before the first write: those reads are what a
    /// key of the wrong type fails, and Redis keeps a script's writes before an error, so a run
    /// either fails before writing anything or does not fail. Redis freezes time during a script, so
    /// dropping expired ids once per run sees what doing it per event would. Window keys are built
    /// from the model's key base (the digest is only known here); they carry the same hash tag as
    /// KEYS, so on Redis Cluster they live in the same slot.
    /// </remarks>
    public const string Append = Prelude + """
        local eventTtl, dedupeTtl = ARGV[1], ARGV[2]
        local nowMs, created, hexDigits, modelBase = ARGV[7], ARGV[8], tonumber(ARGV[9]), ARGV[10]
        local windowCount = tonumber(ARGV[11])
        local firstEventArg = 11 + windowCount
        local firstEventKey = 1 + 4 * windowCount
        local events = (#ARGV - firstEventArg) / 9
        -- Expiry as absolute times, computed once per run: SET ... PX makes Redis rewrite every call
        -- into SET ... PXAT for propagation (a new argument vector per call), about a tenth of its cost.
        local serverTime = redis.call('TIME')
        local serverMs = tonumber(serverTime[1]) * 1000 + math.floor(tonumber(serverTime[2]) / 1000)
        local eventUntil = string.format('%d', serverMs + tonumber(eventTtl))
        local dedupeUntil = string.format('%d', serverMs + tonumber(dedupeTtl))

        local windows = {}
        for w = 1, windowCount do
          local k = 1 + 4 * (w - 1)
          local stream = ARGV[11 + w]
          local modelWide = w == 1 and tonumber(ARGV[5]) > 0
          local base = modelBase .. stream
          local window = {
            ring = KEYS[k], ringts = KEYS[k + 1], state = KEYS[k + 2], outbox = KEYS[k + 3],
            stream = stream, windowPrefix = base .. ':win:',
            size = tonumber(modelWide and ARGV[5] or ARGV[3]), slide = tonumber(modelWide and ARGV[6] or ARGV[4]),
            ids = {}, stamps = {}, applied = 0, created = 0,
          }
          local st = redis.call('HMGET', window.state, 'count', 'since')
          window.count, window.since = tonumber(st[1] or '0'), st[2]
          -- Read only so that a ringts of the wrong type fails the run here, before any write.
          redis.call('LLEN', window.ringts)
          window.outboxLength = redis.call('LLEN', window.outbox)
          local eventKeyOf = modelWide and modelWideEventKeys(modelBase) or streamEventKeys(base .. ':ev:')
          window.held = redis.call('LLEN', window.ring) - trimExpired(window.ring, window.ringts, eventKeyOf)
          windows[w] = window
        end
        local modelWideWindow = tonumber(ARGV[5]) > 0 and windows[1] or nil

        -- Pushes the window's applied events not yet in its ring, keeping only its last Size ids
        -- (unpack is bounded by Lua's stack, so at most 1,000 ids per push).
        local function pushPending(window)
          local ids, stamps = window.ids, window.stamps
          for first = 1, #ids, 1000 do
            local last = math.min(first + 999, #ids)
            redis.call('RPUSH', window.ring, unpack(ids, first, last))
            redis.call('RPUSH', window.ringts, unpack(stamps, first, last))
          end
          if #ids > 0 then
            redis.call('LTRIM', window.ring, -window.size, -1)
            redis.call('LTRIM', window.ringts, -window.size, -1)
          end
          window.ids, window.stamps = {}, {}
        end
        -- Counts one applied event in a window; emits the window it completes. True when it did.
        local function append(window, member, stamp, mv, headerId, a)
          window.ids[#window.ids + 1] = member
          window.stamps[#window.stamps + 1] = stamp
          window.mv = mv
          window.held = math.min(window.held + 1, window.size)
          window.count = window.count + 1
          window.applied = window.applied + 1
          if window.count == 1 then window.since = nowMs end
          if not closesCountWindow(window.count, window.held, window.size, window.slide) then return false end
          pushPending(window)
          redis.call('HSET', window.state, 'mv', mv)
          emit(window.ring, window.ringts, window.state, window.outbox, window.windowPrefix, 'count', headerId, created, eventTtl, hexDigits, traceFields(ARGV[a + 8], ARGV[a + 9]))
          -- emit reset the counter and dropped 'since'.
          window.count, window.since = 0, nil
          window.created = window.created + 1
          return true
        end

        local flags = {}
        for i = 1, events do
          local a = firstEventArg + (i - 1) * 9
          local keyAt = firstEventKey + 2 * (i - 1)
          -- SET NX is the dedupe check and its mark in one call: nil when the event was applied before.
          if not redis.call('SET', KEYS[keyAt], '1', 'PXAT', dedupeUntil, 'NX') then
            flags[i] = -1
          else
            redis.call('SET', KEYS[keyAt + 1], ARGV[a + 2], 'PXAT', eventUntil)
            local streamWindow = windows[tonumber(ARGV[a + 1])]
            local eventId, stamp, mv = ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
            local completed = 0
            if append(streamWindow, eventId, stamp, mv, ARGV[a + 6], a) then completed = 1 end
            if modelWideWindow and append(modelWideWindow, streamWindow.stream .. '/' .. eventId, stamp, mv, ARGV[a + 7], a) then
              completed = completed + 1
            end
            flags[i] = completed
          end
        end

        for _, window in ipairs(windows) do
          if window.applied > 0 then
            pushPending(window)
            if window.count > 0 then
              redis.call('HSET', window.state, 'count', window.count, 'since', window.since or nowMs, 'mv', window.mv)
            else
              redis.call('HSET', window.state, 'count', 0, 'mv', window.mv)
            end
            -- The ring only names events, which expire after eventTtl anyway; the state (pending
            -- count, informational sequence) of a window idle that long goes with them.
            redis.call('PEXPIRE', window.ring, eventTtl)
            redis.call('PEXPIRE', window.ringts, eventTtl)
            redis.call('PEXPIRE', window.state, eventTtl)
          end
          if window.created > 0 then window.outboxLength = redis.call('LLEN', window.outbox) end
          flags[#flags + 1] = window.count
          flags[#flags + 1] = tonumber(window.since or '0')
          flags[#flags + 1] = window.outboxLength
          flags[#flags + 1] = window.applied
          flags[#flags + 1] = window.created
        end
        return flags
        """;

    /// <summary>
    /// KEYS: ring, ringts, state, outbox.
    /// ARGV: now ms, max wait ms, min size, window key prefix, new header id,
    ///       now (100 ns ticks since the Unix epoch), window ttl ms, window id hex digits,
    ///       the stream window's event key prefix or, for the model-wide window, the model's key base,
    ///       "1" for the model-wide window (else "0").
    /// Returns {window created, pending count, pending since ms, outbox length}.
    /// A time window needs MinSize events that no earlier window of the stream ended with, so a
    /// quiet stream never gets a window that repeats its previous one but for a few events.
    /// </summary>
    public const string Flush = Prelude + """
        local count = tonumber(redis.call('HGET', KEYS[3], 'count') or '0')
        local since = tonumber(redis.call('HGET', KEYS[3], 'since') or '0')
        if count == 0 then
          return {0, 0, 0, redis.call('LLEN', KEYS[4])}
        end
        trimExpired(KEYS[1], KEYS[2], ARGV[10] == '1' and modelWideEventKeys(ARGV[9]) or streamEventKeys(ARGV[9]))
        if count < tonumber(ARGV[3]) or since > tonumber(ARGV[1]) - tonumber(ARGV[2]) or redis.call('LLEN', KEYS[1]) < tonumber(ARGV[3]) then
          return {0, count, since, redis.call('LLEN', KEYS[4])}
        end
        emit(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[4], 'time', ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[8]))
        return {1, 0, 0, redis.call('LLEN', KEYS[4])}
        """;
}
