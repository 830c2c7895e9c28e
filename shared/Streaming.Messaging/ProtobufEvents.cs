using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Contracts.Validation;

namespace Streaming.Messaging;

/// <summary>
/// Parses event bytes and applies the contract's rules (<see cref="EventRules"/>), turning every
/// failure into a dead-letter reason: a consumer never acts on an event the entry points would refuse.
/// </summary>
public static class ProtobufEvents
{
    public static T Parse<T>(MessageParser<T> parser, byte[]? bytes, Func<T, EventHeader?> header)
        where T : IMessage<T>
    {
        var message = ParseBytes(parser, bytes);
        var violations = new RuleViolations();
        // Derived events (windows, detections, alerts) carry ids built from model, stream and more.
        EventRules.CheckHeader(header(message), violations, maxEventIdLength: EventRules.MaxDerivedIdLength);
        Throw<T>(violations);
        return message;
    }

    /// <summary>An activation event checked with every rule of <see cref="EventRules.CheckActivation(ActivationEvent, RuleViolations, string, DateTimeOffset?, IReadOnlyDictionary{string, int}?)"/>.</summary>
    public static ActivationEvent ParseActivation(byte[]? bytes)
    {
        var activation = ParseBytes(ActivationEvent.Parser, bytes);
        Throw<ActivationEvent>(EventRules.CheckActivation(activation));
        return activation;
    }

    private static T ParseBytes<T>(MessageParser<T> parser, byte[]? bytes)
        where T : IMessage<T>
    {
        if (bytes is null || bytes.Length == 0)
            throw new MalformedMessageException($"Empty {typeof(T).Name} payload.");

        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new MalformedMessageException($"Payload is not a valid {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private static void Throw<T>(RuleViolations violations)
    {
        if (violations.Count > 0)
            throw new MalformedMessageException($"{typeof(T).Name} breaks the event rules: {violations.Describe()}");
    }
}
