using System.Text.Json.Serialization;

namespace Streaming.Console.History;

/// <summary>Source-generated JSON of what the console stores in Redis and sends to the page.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(DetectionPoint))]
[JsonSerializable(typeof(List<DetectionPoint>))]
[JsonSerializable(typeof(LiveDetection))]
[JsonSerializable(typeof(AlertRecord))]
[JsonSerializable(typeof(StreamState))]
public sealed partial class HistoryJsonContext : JsonSerializerContext;
