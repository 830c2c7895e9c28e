using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Redelivery;

/// <summary>
/// The durable retry store: a Redis sorted set whose members are deliveries (JSON) and whose scores
/// are their next-attempt times (Unix ms). Taking due entries is a claim, not a removal: one Lua
/// script returns them and pushes their score a lease into the future, and the entry is removed only
/// after the delivery queue confirmed the re-send. A crash in between leaves the entry to come due
/// again when its lease ends: a duplicate (same Idempotency-Key), never a loss. Several instances
/// can share the store; a claim keeps them from sending the same entry at the same time.
/// </summary>
public sealed class RedeliveryStore(IConnectionMultiplexer redis, IOptions<AlertingOptions> options)
{
    /// <summary>How long a claimed entry is hidden from other passes before it counts as due again.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(60);

    // KEYS[1] set; ARGV[1] now (ms), ARGV[2] lease end (ms), ARGV[3] batch size.
    private static readonly LuaScript ClaimScript = LuaScript.Prepare(
        """
        local due = redis.call('ZRANGEBYSCORE', @key, '-inf', @now, 'LIMIT', 0, @batch)
        for _, member in ipairs(due) do
          redis.call('ZADD', @key, @leaseEnd, member)
        end
        return due
        """);

    private readonly RedisKey _key = options.Value.Redelivery.Key;

    private IDatabase Database => redis.GetDatabase();

    public async Task ScheduleAsync(DeliverWebhook delivery, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var member = JsonSerializer.SerializeToUtf8Bytes(delivery, DeliveryJsonContext.Default.DeliverWebhook);
        await Database.SortedSetAddAsync(_key, member, dueAt.ToUnixTimeMilliseconds()).ConfigureAwait(false);
    }

    /// <summary>Up to <paramref name="batch"/> entries due at <paramref name="now"/>, claimed for <see cref="ClaimLease"/>.</summary>
    public async Task<IReadOnlyList<ClaimedRedelivery>> ClaimDueAsync(DateTimeOffset now, int batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = await Database.ScriptEvaluateAsync(ClaimScript, new
        {
            key = _key,
            now = now.ToUnixTimeMilliseconds(),
            leaseEnd = (now + ClaimLease).ToUnixTimeMilliseconds(),
            batch,
        }).ConfigureAwait(false);
        var members = (RedisValue[])result!;
        return [.. members.Select(m => new ClaimedRedelivery(m, JsonSerializer.Deserialize((byte[])m!, DeliveryJsonContext.Default.DeliverWebhook)!))];
    }

    /// <summary>Removes entries whose re-send the delivery queue confirmed.</summary>
    public async Task CompleteAsync(IEnumerable<ClaimedRedelivery> claimed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Database.SortedSetRemoveAsync(_key, [.. claimed.Select(c => c.Member)]).ConfigureAwait(false);
    }

    /// <summary>Entries waiting (claimed ones included).</summary>
    public Task<long> CountAsync() => Database.SortedSetLengthAsync(_key);

    /// <summary>When the earliest entry is due, or null when the store is empty.</summary>
    public async Task<DateTimeOffset?> NextDueAsync()
    {
        var first = await Database.SortedSetRangeByRankWithScoresAsync(_key, 0, 0).ConfigureAwait(false);
        return first.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)first[0].Score);
    }
}
