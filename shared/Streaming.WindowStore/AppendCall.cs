using StackExchange.Redis;

namespace Streaming.WindowStore;

/// <summary>
/// One run of the append script on one window's keys, ready to send: what the script needs and
/// what the index upkeep after it needs (<see cref="RedisWindowWriter"/>).
/// </summary>
internal sealed record AppendCall(WindowKeys Keys, WindowShape Shape, RedisKey[] ScriptKeys, RedisValue[] Args, long NowMs);
