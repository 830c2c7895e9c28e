using Microsoft.Extensions.Options;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Options;
using Streaming.Alerting.Redelivery;
using Streaming.IntegrationTests.Infrastructure;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>The Redis retry store's claim / lease / complete protocol, on a real redis-server.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class RedeliveryStoreTests(RedisFixture redis)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ClaimDueAsync_DueAndLaterEntries_ClaimsOnlyDueOnesAndHidesThemForTheLease()
    {
        var store = NewStore();
        await store.ScheduleAsync(Delivery("due"), T0, CancellationToken.None);
        await store.ScheduleAsync(Delivery("later"), T0.AddSeconds(10), CancellationToken.None);

        var first = await store.ClaimDueAsync(T0, 100, CancellationToken.None);
        var again = await store.ClaimDueAsync(T0.AddSeconds(1), 100, CancellationToken.None);

        Assert.Equal(["due"], first.Select(c => c.Delivery.AlertId));
        Assert.Equal("flaky", first[0].Delivery.Target);
        Assert.Equal(3, first[0].Delivery.Attempts);
        Assert.Equal("{\"a\":1}"u8.ToArray(), first[0].Delivery.Body);
        // Claimed but not completed (say the pass crashed before the queue confirmed): hidden, not gone.
        Assert.Empty(again);
        Assert.Equal(2, await store.CountAsync());
    }

    [Fact]
    public async Task ClaimDueAsync_ClaimNeverCompleted_ComesDueAgainAfterTheLease()
    {
        var store = NewStore();
        await store.ScheduleAsync(Delivery("crashed"), T0, CancellationToken.None);
        await store.ClaimDueAsync(T0, 100, CancellationToken.None);

        var beforeLeaseEnds = await store.ClaimDueAsync(T0 + RedeliveryStore.ClaimLease - TimeSpan.FromSeconds(1), 100, CancellationToken.None);
        var afterLeaseEnds = await store.ClaimDueAsync(T0 + RedeliveryStore.ClaimLease + TimeSpan.FromSeconds(1), 100, CancellationToken.None);
        await store.CompleteAsync(afterLeaseEnds, CancellationToken.None);

        Assert.Empty(beforeLeaseEnds);
        Assert.Equal(["crashed"], afterLeaseEnds.Select(c => c.Delivery.AlertId));
        Assert.Equal(0, await store.CountAsync());
        Assert.Null(await store.NextDueAsync());
    }

    [Fact]
    public async Task ClaimDueAsync_MoreDueThanBatch_ClaimsEarliestFirst()
    {
        var store = NewStore();
        for (var i = 0; i < 5; i++)
            await store.ScheduleAsync(Delivery($"a{i}"), T0.AddSeconds(-i), CancellationToken.None);

        var claimed = await store.ClaimDueAsync(T0, 3, CancellationToken.None);

        Assert.Equal(["a4", "a3", "a2"], claimed.Select(c => c.Delivery.AlertId));
        Assert.Equal(T0.AddSeconds(-1), await store.NextDueAsync());
    }

    private RedeliveryStore NewStore() => new(redis.Connection, Microsoft.Extensions.Options.Options.Create(new AlertingOptions
    {
        Redelivery = new RedeliverySettings { Key = "test:redelivery:" + Guid.NewGuid().ToString("N") },
    }));

    private static DeliverWebhook Delivery(string alertId) => new(
        alertId, "flaky", "{\"a\":1}"u8.ToArray(), "json", Attempts: 3, Redeliveries: 1, T0.AddMinutes(-1), "HTTP 503 ServiceUnavailable",
        "alerts", 0, 7, "tenant-a"u8.ToArray(), [1, 2, 3]);
}
