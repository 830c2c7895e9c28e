using StackExchange.Redis;

namespace Streaming.WindowStore;

/// <summary>
/// One event's part of an append script run on its model's keys (<see cref="WindowScripts.Append"/>):
/// its stream window's keys, its dedupe and event keys and its per-event arguments after the window
/// number (event bytes, event id, timestamp bytes, model version, the two header ids, traceparent,
/// tracestate), ready to travel with the model's other events of a batch.
/// </summary>
internal sealed record AppendCall(WindowKeys Keys, RedisKey Dedupe, RedisKey Event, RedisValue[] EventArgs, long NowMs, string CreatedAt);
