using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Redelivery;

/// <summary>
/// Every PollInterval (on the injected TimeProvider), claims the retry store's due entries, sends
/// them to the delivery queue (confirmed) and only then removes them. Runs only when the store is
/// enabled (Alerting:Redelivery:MaxRedeliveries &gt; 0); the store (and the Redis connection) is
/// created only then.
/// </summary>
public sealed class RedeliveryScheduler(
    Lazy<RedeliveryStore> store,
    DeliveryQueue queue,
    IOptions<AlertingOptions> options,
    TimeProvider timeProvider,
    ILogger<RedeliveryScheduler> logger) : BackgroundService
{
    private const int Batch = 100;
    private readonly RedeliverySettings _settings = options.Value.Redelivery;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_settings.Enabled) return;
        var redeliveries = store.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means more may be due: go again at once.
                while (await MoveDueAsync(redeliveries, queue, stoppingToken).ConfigureAwait(false) == Batch)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                AlertingLog.RedeliveryPassFailed(logger, ex, _settings.PollInterval.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(_settings.PollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One claim-send-remove pass; returns how many entries it moved.</summary>
    public async Task<int> MoveDueAsync(RedeliveryStore store, DeliveryQueue queue, CancellationToken cancellationToken)
    {
        var claimed = await store.ClaimDueAsync(timeProvider.GetUtcNow(), Batch, cancellationToken).ConfigureAwait(false);
        if (claimed.Count == 0) return 0;
        await queue.SendAsync([.. claimed.Select(c => c.Delivery)], cancellationToken).ConfigureAwait(false);
        await store.CompleteAsync(claimed, CancellationToken.None).ConfigureAwait(false);
        AlertingLog.RedeliveriesMoved(logger, claimed.Count);
        return claimed.Count;
    }
}
