using System.Text.Json;

namespace Streaming.Console.History;

/// <summary>A model and one of its streams (or its model-wide scope).</summary>
public readonly record struct StreamRef(string Model, string Stream)
{
    /// <summary>The sorted-set member: a JSON pair, unambiguous for any names.</summary>
    public string ToMember() => JsonSerializer.Serialize(new[] { Model, Stream }, HistoryJsonContext.Default.StringArray);

    public static StreamRef? FromMember(string member)
    {
        try
        {
            var pair = JsonSerializer.Deserialize(member, HistoryJsonContext.Default.StringArray);
            return pair is [var model, var stream] ? new StreamRef(model, stream) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
