using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.UnitTests.Contracts;

public sealed class ProtobufEventsTests
{
    private static ActivationEvent Valid(uint version = SchemaVersions.Current)
    {
        var activation = new ActivationEvent
        {
            Header = new EventHeader { SchemaVersion = version, EventId = "e1", Model = "m", ModelVersion = "1", StreamId = "s", Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch) },
            PredictedClass = 3,
            Confidence = 0.5f,
        };
        var layer = new LayerActivation { Layer = "fc1" };
        layer.Values.AddRange([1f, 2f, 3f]);
        activation.Layers.Add(layer);
        activation.Attributes["attack"] = "fgsm";
        return activation;
    }

    [Fact]
    public void Parse_RoundTrip_KeepsEveryField()
    {
        var original = Valid();

        var parsed = ProtobufEvents.Parse(ActivationEvent.Parser, original.ToByteArray(), e => e.Header);

        Assert.Equal(original, parsed);
        Assert.Equal([1f, 2f, 3f], parsed.Layers[0].Values);
        Assert.Equal("fgsm", parsed.Attributes["attack"]);
    }

    [Fact]
    public void Parse_PackedFloats_AreFourBytesEach()
    {
        var activation = Valid();
        activation.Layers[0].Values.Clear();
        activation.Layers[0].Values.AddRange(new float[1000]);
        var withoutLayer = Valid();
        withoutLayer.Layers.Clear();

        var vectorBytes = activation.CalculateSize() - withoutLayer.CalculateSize();

        Assert.InRange(vectorBytes, 4000, 4020);
    }

    [Fact]
    public void Parse_RandomBytes_ThrowsMalformedWithReason()
    {
        var ex = Assert.Throws<MalformedMessageException>(() => ProtobufEvents.Parse(ActivationEvent.Parser, [0xff, 0xff, 0xff, 0xff], e => e.Header));

        Assert.Contains("not a valid ActivationEvent", ex.Message);
    }

    [Fact]
    public void Parse_UnknownSchemaVersion_ThrowsMalformedNamingVersion()
    {
        var ex = Assert.Throws<MalformedMessageException>(() => ProtobufEvents.Parse(ActivationEvent.Parser, Valid(version: 99).ToByteArray(), e => e.Header));

        Assert.Contains("schema_version is 99", ex.Message);
    }

    [Fact]
    public void Parse_EmptyPayload_ThrowsMalformed()
    {
        Assert.Throws<MalformedMessageException>(() => ProtobufEvents.Parse(ActivationEvent.Parser, [], e => e.Header));
    }

    [Fact]
    public void Parse_MissingStreamId_ThrowsMalformed()
    {
        var activation = Valid();
        activation.Header.StreamId = "";

        var ex = Assert.Throws<MalformedMessageException>(() => ProtobufEvents.Parse(ActivationEvent.Parser, activation.ToByteArray(), e => e.Header));

        Assert.Contains("stream_id", ex.Message);
    }

    [Fact]
    public void ParseActivation_ReservedStreamId_IsRefusedSoNoConsumerWritesIntoAModelWideWindow()
    {
        var forged = Valid();
        forged.Header.StreamId = WindowScopes.ModelWideStreamId;

        var ex = Assert.Throws<MalformedMessageException>(() => ProtobufEvents.ParseActivation(forged.ToByteArray()));

        Assert.Contains("reserved", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WindowOfTheModelWideStream_IsAccepted()
    {
        var window = new WindowReady
        {
            Header = new EventHeader { SchemaVersion = SchemaVersions.Current, EventId = Guid.NewGuid().ToString(), Model = "m", ModelVersion = "1", StreamId = WindowScopes.ModelWideStreamId, Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch) },
            WindowId = "m/__model/0123456789abcdef0123456789abcdef",
            WindowKey = "sw:{m}:__model:win:0123456789abcdef0123456789abcdef",
            Scope = WindowScopes.Model,
        };

        var parsed = ProtobufEvents.Parse(WindowReady.Parser, window.ToByteArray(), w => w.Header);

        Assert.Equal(WindowScopes.Model, parsed.Scope);
    }
}
