using System.Text.Json.Serialization;
using Streaming.Console.History;

namespace Streaming.Console.Pages;

/// <summary>Source-generated JSON of the pages' embedded data (the default encoder escapes &lt; and &gt;, so it cannot close its script element).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StreamPageConfig))]
[JsonSerializable(typeof(IReadOnlyList<DetectionPoint>))]
public sealed partial class PageJsonContext : JsonSerializerContext;
