using MassTransit;
using Microsoft.Extensions.Options;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Delivery;

/// <summary>
/// Hands deliveries to the delivery queue. With RabbitMQ the messages are persistent and sent with
/// publisher confirms: <see cref="SendAsync"/> completes only once the broker has taken every one
/// of them, so the caller may then forget them (store the Kafka offset, remove a retry-store entry).
/// </summary>
public sealed class DeliveryQueue(IBus bus, IOptions<AlertingOptions> options)
{
    private readonly Uri _address = new($"queue:{options.Value.DeliveryQueue}");

    public async Task SendAsync(IReadOnlyCollection<DeliverWebhook> deliveries, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0) return;
        var endpoint = await bus.GetSendEndpoint(_address).ConfigureAwait(false);
        await Task.WhenAll(deliveries.Select(d => endpoint.Send(d, cancellationToken))).ConfigureAwait(false);
    }
}
