using System.Text.Json.Serialization;

namespace Streaming.Alerting.Delivery;

/// <summary>Source-generated JSON for deliveries kept in the Redis retry store.</summary>
[JsonSerializable(typeof(DeliverWebhook))]
internal sealed partial class DeliveryJsonContext : JsonSerializerContext;
