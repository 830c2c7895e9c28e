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
        local function digestOf(ring, hexDigits)
          local ids = redis.call('LRANGE', ring, 0, -1)
          local parts = {}
          for i, id in ipairs(ids) do
            parts[i] = #id .. ':' .. id
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

    /// <summary>
    /// KEYS: dedupe, event, ring, ringts, state, outbox.
    /// ARGV: event bytes, event ttl ms, dedupe ttl ms, size, slide, now ms, event id, event timestamp bytes,
    ///       window key prefix, model version, new header id, now (100 ns ticks since the Unix epoch),
    ///       window id hex digits, event key prefix,
    ///       traceparent and tracestate of the appending event (empty when none; see <see cref="OutboxTrace"/>).
    /// The same script serves a stream window and the model-wide one: for the latter "event id" is
    /// the member "stream/event_id" (WindowIds.ModelWideMember) and the keys are the model-wide ones.
    /// Returns {duplicate, windows created, pending count, pending since ms, outbox length}.
    /// Window keys are built from a prefix in ARGV (the digest is only known here); they carry the
    /// same hash tag as KEYS, so on Redis Cluster they live in the same slot.
    /// </summary>
    public const string Append = Prelude + """
        -- SET NX is the dedupe check and its mark in one call: nil when the event was applied before.
        if not redis.call('SET', KEYS[1], '1', 'PX', ARGV[3], 'NX') then
          local count = tonumber(redis.call('HGET', KEYS[5], 'count') or '0')
          local since = tonumber(redis.call('HGET', KEYS[5], 'since') or '0')
          return {1, 0, count, since, redis.call('LLEN', KEYS[6])}
        end
        local size = tonumber(ARGV[4])
        local eventTtl = ARGV[2]
        redis.call('SET', KEYS[2], ARGV[1], 'PX', eventTtl)
        -- RPUSH answers the new length: trimming to the last Size ids is needed only past Size, and
        -- the ring's length is known from here on without an LLEN.
        local held = redis.call('RPUSH', KEYS[3], ARGV[7])
        if held > size then
          redis.call('LTRIM', KEYS[3], -size, -1)
          held = size
        end
        if redis.call('RPUSH', KEYS[4], ARGV[8]) > size then
          redis.call('LTRIM', KEYS[4], -size, -1)
        end
        held = held - trimExpired(KEYS[3], KEYS[4], ARGV[14])
        local count = redis.call('HINCRBY', KEYS[5], 'count', 1)
        if count == 1 then
          redis.call('HSET', KEYS[5], 'mv', ARGV[10], 'since', ARGV[6])
        else
          redis.call('HSET', KEYS[5], 'mv', ARGV[10])
        end
        -- The ring only names events, which expire after eventTtl anyway; the state (pending count,
        -- informational sequence) of a stream idle that long goes with them.
        redis.call('PEXPIRE', KEYS[3], eventTtl)
        redis.call('PEXPIRE', KEYS[4], eventTtl)
        redis.call('PEXPIRE', KEYS[5], eventTtl)
        if closesCountWindow(count, held, size, tonumber(ARGV[5])) then
          emit(KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[9], 'count', ARGV[11], ARGV[12], eventTtl, tonumber(ARGV[13]), traceFields(ARGV[15], ARGV[16]))
          -- emit reset the counter and dropped 'since'.
          return {0, 1, 0, 0, redis.call('LLEN', KEYS[6])}
        end
        -- 'since' was written above for the first pending event; otherwise it is an earlier one's.
        local since = count == 1 and tonumber(ARGV[6]) or tonumber(redis.call('HGET', KEYS[5], 'since') or '0')
        return {0, 0, count, since, redis.call('LLEN', KEYS[6])}
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
