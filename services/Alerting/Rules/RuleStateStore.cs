using StackExchange.Redis;

namespace Streaming.Alerting.Rules;

/// <summary>
/// Streaks, cooldowns and per-alert decisions of stateful rules, in Redis, shared by every
/// instance. One Lua script makes the decision atomic, and remembers it per alert id (for a
/// day), so an alert redelivered after a crash is routed exactly as the first time: a cooldown
/// the alert itself started cannot suppress its own redelivery, and the streak is not counted twice.
/// </summary>
public sealed class RuleStateStore(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan DecisionTtl = TimeSpan.FromDays(1);

    // KEYS: decision, streak, cooldown. ARGV: consecutive, withinMs, cooldownMs, decisionTtlMs.
    private const string Script = """
        local known = redis.call('GET', KEYS[1])
        if known then return known end
        local count = redis.call('INCR', KEYS[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        local decision
        if count < tonumber(ARGV[1]) then
          decision = 'streak'
        elseif redis.call('EXISTS', KEYS[3]) == 1 then
          decision = 'cooldown'
        else
          decision = 'deliver'
          if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[3], '1', 'PX', ARGV[3]) end
        end
        redis.call('SET', KEYS[1], decision, 'PX', ARGV[4])
        return decision
        """;

    public async Task<RuleDecision> DecideAsync(AlertRule rule, string model, string stream, string alertId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // One hash tag per (rule, model, stream): all three keys live in one cluster slot.
        var tag = $"alerting:{{{rule.Name}|{model}|{stream}}}";
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            Script,
            [tag + ":decision:" + alertId, tag + ":streak", tag + ":cooldown"],
            [rule.ConsecutiveWindows, Millis(rule.ConsecutiveWithin), Millis(rule.Cooldown), Millis(DecisionTtl)]).ConfigureAwait(false);
        return (string?)result switch
        {
            "deliver" => RuleDecision.Deliver,
            "streak" => RuleDecision.Streak,
            "cooldown" => RuleDecision.Cooldown,
            var other => throw new InvalidOperationException($"Rule script returned '{other}'."),
        };
    }

    private static long Millis(TimeSpan span) => Math.Max(1, (long)span.TotalMilliseconds);
}
