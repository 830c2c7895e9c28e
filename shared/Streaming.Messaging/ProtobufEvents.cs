using Google.Protobuf;
using Streaming.Contracts;

namespace Streaming.Messaging;

/// <summary>Parses event bytes and checks the schema version, turning every failure into a dead-letter reason.</summary>
public static class ProtobufEvents
{
    public static T Parse<T>(MessageParser<T> parser, byte[]? bytes, Func<T, EventHeader?> header)
        where T : IMessage<T>
    {
        if (bytes is null || bytes.Length == 0)
            throw new MalformedMessageException($"Empty {typeof(T).Name} payload.");

        T message;
        try
        {
            message = parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new MalformedMessageException($"Payload is not a valid {typeof(T).Name}: {ex.Message}", ex);
        }

        var h = header(message) ?? throw new MalformedMessageException($"{typeof(T).Name} has no header.");
        if (!SchemaVersions.IsSupported(h.SchemaVersion))
            throw new MalformedMessageException($"{typeof(T).Name} schema version {h.SchemaVersion} is not supported (expected {SchemaVersions.Current}).");
        if (string.IsNullOrWhiteSpace(h.EventId) || string.IsNullOrWhiteSpace(h.Model) || string.IsNullOrWhiteSpace(h.StreamId))
            throw new MalformedMessageException($"{typeof(T).Name} header lacks event_id, model or stream_id.");
        return message;
    }
}
