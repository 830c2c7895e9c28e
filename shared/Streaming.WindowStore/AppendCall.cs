using StackExchange.Redis;

namespace Streaming.WindowStore;

/// <summary>
/// One event's part of an append script run on one window's keys (<see cref="WindowScripts.Append"/>):
/// its dedupe and event keys and its per-event arguments, ready to travel with the window's other
/// events of a batch, and what the index upkeep after the run needs (<see cref="RedisWindowWriter"/>).
/// </summary>
internal sealed record AppendCall(WindowKeys Keys, WindowShape Shape, RedisKey Dedupe, RedisKey Event, RedisValue[] EventArgs, long NowMs, string CreatedAt);
