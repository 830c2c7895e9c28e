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
        -- Drops the ring's oldest ids whose events expired (EventTtl): they expire oldest first, and a
        -- window of a quiet stream must not name events nobody can read any more. Event keys carry
        -- the same hash tag as the ring, so this stays in one Cluster slot.
        -- Returns how many ids it dropped, so the append knows the ring's length without asking.
        local function trimExpired(ring, ringts, eventPrefix)
          local dropped = 0
          while true do
            local oldest = redis.call('LINDEX', ring, 0)
            if not oldest or redis.call('EXISTS', eventPrefix .. oldest) == 1 then return dropped end
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

    /// <summary>Arguments of <see cref="Append"/> before the per-event ones.</summary>
    public const int AppendFixedArgs = 9;

    /// <summary>Arguments of <see cref="Append"/> per event, after the fixed ones.</summary>
    public const int AppendArgsPerEvent = 7;

    /// <summary>
    /// Appends N events, in order, to one window (a stream's, or a model's model-wide one): the
    /// events of a consumed batch that belong to this window travel in one script run.
    /// KEYS: ring, ringts, state, outbox, then per event its dedupe key and its event key.
    /// ARGV: event ttl ms, dedupe ttl ms, size, slide, now ms, window key prefix,
    ///       now (100 ns ticks since the Unix epoch), window id hex digits, event key prefix,
    ///       then per event: event bytes, ring member, event timestamp bytes, model version, new header id,
    ///       traceparent and tracestate of the appending event (empty when none; see <see cref="OutboxTrace"/>).
    /// For the model-wide window the member is "stream/event_id" (WindowIds.ModelWideMember) and the
    /// keys are the model-wide ones.
    /// Returns {N flags (1 duplicate, 0 applied, 2 applied and it completed a window), pending count,
    /// pending since ms, outbox length}.
    /// </summary>
    /// <remarks>
    /// The run is atomic as a whole, which is more than each event needs: every event is checked,
    /// stored and counted as if appended alone, in order, and a window closes at exactly the event
    /// it would close at alone (the ring is brought up to date before each snapshot). What the batch
    /// saves is bookkeeping, not guarantees: the ring gets one push per window instead of one per
    /// event, and the counter, model version and expiry are written once per run instead of once per
    /// event (about 2 commands per event instead of about 13). Expired ids are dropped from the
    /// ring's head once per run; Redis freezes time during a script, so doing it per event would see
    /// the same keys. Window keys are built from a prefix in ARGV (the digest is only known here);
    /// they carry the same hash tag as KEYS, so on Redis Cluster they live in the same slot.
    /// </remarks>
    public const string Append = Prelude + """
        local ring, ringts, state, outbox = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
        local eventTtl, dedupeTtl = ARGV[1], ARGV[2]
        local size, slide = tonumber(ARGV[3]), tonumber(ARGV[4])
        local nowMs, windowPrefix, created = ARGV[5], ARGV[6], ARGV[7]
        local hexDigits, eventPrefix = tonumber(ARGV[8]), ARGV[9]
        local events = (#ARGV - 9) / 7
        local flags = {}
        -- Expiry as absolute times, computed once per run: SET ... PX makes Redis rewrite every call
        -- into SET ... PXAT for propagation (a new argument vector per call), about a tenth of its cost.
        local serverTime = redis.call('TIME')
        local serverMs = tonumber(serverTime[1]) * 1000 + math.floor(tonumber(serverTime[2]) / 1000)
        local eventUntil = string.format('%d', serverMs + tonumber(eventTtl))
        local dedupeUntil = string.format('%d', serverMs + tonumber(dedupeTtl))
        local count, since, held, mv
        local ids, stamps = {}, {}
        -- Pushes the applied events not yet in the ring, keeping only its last Size ids (unpack is
        -- bounded by Lua's stack, so at most 1,000 ids per push).
        local function pushPending()
          for first = 1, #ids, 1000 do
            local last = math.min(first + 999, #ids)
            redis.call('RPUSH', ring, unpack(ids, first, last))
            redis.call('RPUSH', ringts, unpack(stamps, first, last))
          end
          if #ids > 0 then
            redis.call('LTRIM', ring, -size, -1)
            redis.call('LTRIM', ringts, -size, -1)
          end
          ids, stamps = {}, {}
        end
        for i = 1, events do
          local a = 9 + (i - 1) * 7
          -- SET NX is the dedupe check and its mark in one call: nil when the event was applied before.
          if not redis.call('SET', KEYS[3 + 2 * i], '1', 'PXAT', dedupeUntil, 'NX') then
            flags[i] = 1
          else
            if not count then
              local st = redis.call('HMGET', state, 'count', 'since')
              count, since = tonumber(st[1] or '0'), st[2]
              held = redis.call('LLEN', ring) - trimExpired(ring, ringts, eventPrefix)
            end
            redis.call('SET', KEYS[4 + 2 * i], ARGV[a + 1], 'PXAT', eventUntil)
            ids[#ids + 1] = ARGV[a + 2]
            stamps[#stamps + 1] = ARGV[a + 3]
            mv = ARGV[a + 4]
            held = math.min(held + 1, size)
            count = count + 1
            if count == 1 then since = nowMs end
            flags[i] = 0
            if closesCountWindow(count, held, size, slide) then
              pushPending()
              redis.call('HSET', state, 'mv', mv)
              emit(ring, ringts, state, outbox, windowPrefix, 'count', ARGV[a + 5], created, eventTtl, hexDigits, traceFields(ARGV[a + 6], ARGV[a + 7]))
              -- emit reset the counter and dropped 'since'.
              count, since = 0, nil
              flags[i] = 2
            end
          end
        end
        if count then
          pushPending()
          if count > 0 then
            redis.call('HSET', state, 'count', count, 'since', since or nowMs, 'mv', mv)
          else
            redis.call('HSET', state, 'count', 0, 'mv', mv)
          end
          -- The ring only names events, which expire after eventTtl anyway; the state (pending count,
          -- informational sequence) of a stream idle that long goes with them.
          redis.call('PEXPIRE', ring, eventTtl)
          redis.call('PEXPIRE', ringts, eventTtl)
          redis.call('PEXPIRE', state, eventTtl)
        else
          local st = redis.call('HMGET', state, 'count', 'since')
          count, since = tonumber(st[1] or '0'), st[2]
        end
        flags[events + 1] = count
        flags[events + 2] = tonumber(since or '0')
        flags[events + 3] = redis.call('LLEN', outbox)
        return flags
        """;

    /// <summary>
    /// KEYS: ring, ringts, state, outbox.
    /// ARGV: now ms, max wait ms, min size, window key prefix, new header id,
    ///       now (100 ns ticks since the Unix epoch), window ttl ms, window id hex digits, event key prefix.
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
        trimExpired(KEYS[1], KEYS[2], ARGV[9])
        if count < tonumber(ARGV[3]) or since > tonumber(ARGV[1]) - tonumber(ARGV[2]) or redis.call('LLEN', KEYS[1]) < tonumber(ARGV[3]) then
          return {0, count, since, redis.call('LLEN', KEYS[4])}
        end
        emit(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[4], 'time', ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[8]))
        return {1, 0, 0, redis.call('LLEN', KEYS[4])}
        """;
}
