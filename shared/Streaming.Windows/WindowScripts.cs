namespace Streaming.Windows;

/// <summary>
/// The Lua scripts that make appending and window creation atomic. A script runs alone on the
/// server, so "dedupe check, store, append, maybe snapshot a window and queue it for publishing"
/// either happens completely or not at all, whatever crashes around it.
/// The WindowReady message is encoded to protobuf inside the script (a few fields, varints and
/// length-delimited bytes) so that the window snapshot and its outbox entry are written together.
/// </summary>
internal static class WindowScripts
{
    // Shared by both scripts: a minimal protobuf encoder and the window emission.
    // Empty strings / zero numbers are omitted exactly as proto3 serializers do.
    // The window id and snapshot key end in a digest of the window's event ids (WindowIds.Digest
    // computes the same in C#): the same events always give the same id, different events never
    // do, whatever Redis forgot. The 'seq' counter stays informational (WindowReady.sequence).
    private const string Prelude = """
        local function varint(n)
          local out = {}
          while n >= 128 do
            out[#out + 1] = string.char(n % 128 + 128)
            n = math.floor(n / 128)
          end
          out[#out + 1] = string.char(n)
          return table.concat(out)
        end
        local function bytesField(field, s)
          if not s or s == '' then return '' end
          return varint(field * 8 + 2) .. varint(#s) .. s
        end
        local function varintField(field, n)
          if n == 0 then return '' end
          return varint(field * 8) .. varint(n)
        end
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
        local function trimExpired(ring, ringts, eventPrefix)
          while true do
            local oldest = redis.call('LINDEX', ring, 0)
            if not oldest or redis.call('EXISTS', eventPrefix .. oldest) == 1 then return end
            redis.call('LPOP', ring)
            redis.call('LPOP', ringts)
          end
        end
        local function u16(n)
          return string.char(math.floor(n / 256), n % 256)
        end
        -- The trace context of the event that completed a window goes in an envelope before its
        -- WindowReady (OutboxTrace reads it): byte 0, version 1, then traceparent and tracestate,
        -- each after a 2-byte length. No WindowReady starts with byte 0 (field number 0 is
        -- invalid), so an entry without an envelope still reads as before. Bounded here too.
        local function traceEnvelope(parent, tracestate)
          if not parent or parent == '' or #parent > 512 then return '' end
          if not tracestate or #tracestate > 512 then tracestate = '' end
          return '\0\1' .. u16(#parent) .. parent .. u16(#tracestate) .. tracestate
        end
        -- Snapshots the ring into a window key named by its contents, queues its WindowReady, resets the counter.
        local function emit(ring, ringts, state, outbox, windowPrefix, trigger, tag, model, stream, schema, headerId, nowTs, windowTtlMs, hexDigits, scope, envelope)
          local seq = redis.call('HINCRBY', state, 'seq', 1)
          local digest = digestOf(ring, hexDigits)
          local windowKey = windowPrefix .. digest
          redis.call('COPY', ring, windowKey, 'REPLACE')
          redis.call('PEXPIRE', windowKey, windowTtlMs)
          local size = redis.call('LLEN', windowKey)
          local first = redis.call('LINDEX', ringts, 0)
          local last = redis.call('LINDEX', ringts, -1)
          local modelVersion = redis.call('HGET', state, 'mv')
          local header = varintField(1, tonumber(schema)) .. bytesField(2, headerId) .. bytesField(3, model)
            .. bytesField(4, modelVersion) .. bytesField(5, stream) .. bytesField(6, nowTs)
          local message = bytesField(1, header) .. bytesField(2, tag .. '/' .. digest) .. varintField(3, seq)
            .. bytesField(4, windowKey) .. varintField(5, size) .. bytesField(6, trigger)
            .. bytesField(7, last) .. bytesField(8, first) .. bytesField(9, scope)
          redis.call('RPUSH', outbox, (envelope or '') .. message)
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
    ///       window key prefix, tag, model, stream, model version, schema version, new header id, now timestamp bytes,
    ///       window id hex digits, event key prefix, scope ("stream" or "model"),
    ///       traceparent and tracestate of the appending event (empty when none; see <see cref="OutboxTrace"/>).
    /// The same script serves a stream window and the model-wide one: for the latter "event id" is
    /// the member "stream/event_id" (WindowIds.ModelWideMember) and the keys are the model-wide ones.
    /// Returns {duplicate, windows created, pending count, pending since ms, outbox length}.
    /// Window keys are built from a prefix in ARGV (the digest is only known here); they carry the
    /// same hash tag as KEYS, so on Redis Cluster they live in the same slot.
    /// </summary>
    public const string Append = Prelude + """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          local count = tonumber(redis.call('HGET', KEYS[5], 'count') or '0')
          local since = tonumber(redis.call('HGET', KEYS[5], 'since') or '0')
          return {1, 0, count, since, redis.call('LLEN', KEYS[6])}
        end
        local size = tonumber(ARGV[4])
        local eventTtl = ARGV[2]
        redis.call('SET', KEYS[1], '1', 'PX', ARGV[3])
        redis.call('SET', KEYS[2], ARGV[1], 'PX', eventTtl)
        redis.call('RPUSH', KEYS[3], ARGV[7])
        redis.call('RPUSH', KEYS[4], ARGV[8])
        redis.call('LTRIM', KEYS[3], -size, -1)
        redis.call('LTRIM', KEYS[4], -size, -1)
        trimExpired(KEYS[3], KEYS[4], ARGV[18])
        redis.call('HSET', KEYS[5], 'mv', ARGV[13])
        local count = redis.call('HINCRBY', KEYS[5], 'count', 1)
        if count == 1 then
          redis.call('HSET', KEYS[5], 'since', ARGV[6])
        end
        -- The ring only names events, which expire after eventTtl anyway; the state (pending count,
        -- informational sequence) of a stream idle that long goes with them.
        redis.call('PEXPIRE', KEYS[3], eventTtl)
        redis.call('PEXPIRE', KEYS[4], eventTtl)
        redis.call('PEXPIRE', KEYS[5], eventTtl)
        local created = 0
        if count >= tonumber(ARGV[5]) and redis.call('LLEN', KEYS[3]) >= size then
          emit(KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[9], 'count', ARGV[10], ARGV[11], ARGV[12], ARGV[14], ARGV[15], ARGV[16], eventTtl, tonumber(ARGV[17]), ARGV[19], traceEnvelope(ARGV[20], ARGV[21]))
          created = 1
          count = 0
        end
        local since = tonumber(redis.call('HGET', KEYS[5], 'since') or '0')
        return {0, created, count, since, redis.call('LLEN', KEYS[6])}
        """;

    /// <summary>
    /// KEYS: ring, ringts, state, outbox.
    /// ARGV: now ms, max wait ms, min size, window key prefix, tag, model, stream, schema version,
    ///       new header id, now timestamp bytes, window ttl ms, window id hex digits, event key prefix, scope.
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
        trimExpired(KEYS[1], KEYS[2], ARGV[13])
        if count < tonumber(ARGV[3]) or since > tonumber(ARGV[1]) - tonumber(ARGV[2]) or redis.call('LLEN', KEYS[1]) < tonumber(ARGV[3]) then
          return {0, count, since, redis.call('LLEN', KEYS[4])}
        end
        emit(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[4], 'time', ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], tonumber(ARGV[12]), ARGV[14])
        return {1, 0, 0, redis.call('LLEN', KEYS[4])}
        """;
}
