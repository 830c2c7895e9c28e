using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streaming.Alerting.Delivery;

/// <summary>Source-generated, camelCase serializer for webhook bodies (no reflection at run time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AlertWebhookPayload))]
[JsonSerializable(typeof(SlackPayload))]
public sealed partial class AlertPayloadJsonContext : JsonSerializerContext;
