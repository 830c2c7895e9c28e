using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;
using Streaming.Contracts.Validation;

namespace Streaming.UnitTests.Contracts;

public sealed class EventRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static ActivationEvent Valid()
    {
        var activation = new ActivationEvent
        {
            Header = new EventHeader
            {
                SchemaVersion = SchemaVersions.Current,
                EventId = "0f8fad5bd9cb469fa16570867728950e",
                Model = "small-cnn",
                ModelVersion = "1",
                StreamId = "cam-1",
                Timestamp = Timestamp.FromDateTimeOffset(Now),
            },
            PredictedClass = 3,
            Confidence = 0.9f,
            Attributes = { ["attack"] = "fgsm", ["epsilon"] = "0.3" },
        };
        activation.Layers.Add(new LayerActivation { Layer = "conv1", Values = { Enumerable.Repeat(0.5f, 32) } });
        activation.Layers.Add(new LayerActivation { Layer = "fc1", Values = { Enumerable.Repeat(-1.5f, 128) } });
        return activation;
    }

    private static readonly Dictionary<string, int> ModelLayers = new() { ["conv1"] = 32, ["fc1"] = 128 };

    [Fact]
    public void CheckActivation_ValidEvent_HasNoViolations()
    {
        var violations = EventRules.CheckActivation(Valid(), Now, ModelLayers);

        Assert.Equal(0, violations.Count);
    }

    [Theory]
    [InlineData("evil\n")]
    [InlineData("has space")]
    [InlineData("{tag}")]
    [InlineData("acme/resnet")]
    [InlineData("")]
    public void CheckHeader_IdOutsideTheCharset_NamesTheField(string bad)
    {
        foreach (var (field, set) in new (string, Action<EventHeader>)[]
                 {
                     ("header.model", h => h.Model = bad),
                     ("header.modelVersion", h => h.ModelVersion = bad),
                     ("header.streamId", h => h.StreamId = bad),
                 })
        {
            var activation = Valid();
            set(activation.Header);

            var violations = EventRules.CheckActivation(activation, Now);

            Assert.Contains(violations.Items, v => v.Field == field);
        }
    }

    [Fact]
    public void CheckHeader_IdLongerThanTheLimit_IsRefused()
    {
        var activation = Valid();
        activation.Header.Model = new string('m', 400_000);

        Assert.Contains(EventRules.CheckActivation(activation, Now).Items, v => v.Field == "header.model");
    }

    [Theory]
    [InlineData(1_000_000_000_000L, 0, "seconds is 1000000000000")]
    [InlineData(1_700_000_000L, -1, "nanos is -1")]
    [InlineData(-5L, 0, "seconds is -5")]
    public void CheckTimestamp_OutsideWhatADateTimeOffsetHolds_IsRefused(long seconds, int nanos, string expected)
    {
        var activation = Valid();
        activation.Header.Timestamp = new Timestamp { Seconds = seconds, Nanos = nanos };

        var violation = Assert.Single(EventRules.CheckActivation(activation).Items);

        Assert.Equal("header.timestamp", violation.Field);
        Assert.Contains(expected, violation.Message);
    }

    [Fact]
    public void CheckTimestamp_FarInTheFutureAtIngestion_IsRefusedButConsumersOnlyNeedAValidInstant()
    {
        var activation = Valid();
        activation.Header.Timestamp = Timestamp.FromDateTimeOffset(Now.AddHours(2));

        Assert.Contains(EventRules.CheckActivation(activation, Now).Items, v => v.Field == "header.timestamp");
        Assert.Equal(0, EventRules.CheckActivation(activation).Count);
    }

    [Fact]
    public void CheckAttributes_HugeValueTooManyOrControlCharacters_AreRefused()
    {
        var huge = Valid();
        huge.Attributes["note"] = new string('x', 900_000);
        Assert.Contains(EventRules.CheckActivation(huge, Now).Items, v => v.Field == "attributes.note");

        var many = Valid();
        for (var i = 0; i < 40; i++) many.Attributes[$"k{i}"] = "v";
        Assert.Contains(EventRules.CheckActivation(many, Now).Items, v => v.Field == "attributes" && v.Message.Contains("at most 32"));

        var control = Valid();
        control.Attributes["label"] = "3\r\nX-Injected: 1";
        Assert.Contains(EventRules.CheckActivation(control, Now).Items, v => v.Field == "attributes.label");
    }

    [Theory]
    [InlineData(float.NaN, "must be finite")]
    [InlineData(float.PositiveInfinity, "must be finite")]
    [InlineData(1e20f, "|value| must be at most")]
    [InlineData(-4e18f, "|value| must be at most")]
    public void CheckActivation_ValueNotFiniteOrHuge_NamesLayerAndIndex(float bad, string expected)
    {
        var activation = Valid();
        activation.Layers[1].Values[7] = bad;

        var violation = Assert.Single(EventRules.CheckActivation(activation, Now).Items);

        Assert.Equal("layers[1].values", violation.Field);
        Assert.Contains("value 7", violation.Message);
        Assert.Contains(expected, violation.Message);
    }

    [Fact]
    public void CheckActivation_LayersOfTheKnownModel_MustHaveItsDimensions()
    {
        var short1 = Valid();
        short1.Layers[0].Values.RemoveAt(0);
        var missing = Valid();
        missing.Layers.RemoveAt(1);
        var extra = Valid();
        extra.Layers.Add(new LayerActivation { Layer = "logits", Values = { 1f, 2f } });

        Assert.Contains("has 31 values; the model's has 32", Assert.Single(EventRules.CheckActivation(short1, Now, ModelLayers).Items).Message);
        Assert.Contains("layer 'fc1' is missing", Assert.Single(EventRules.CheckActivation(missing, Now, ModelLayers).Items).Message);
        Assert.Equal(0, EventRules.CheckActivation(extra, Now, ModelLayers).Count);
        Assert.Equal(0, EventRules.CheckActivation(short1, Now).Count);
    }

    [Fact]
    public void CheckActivation_DuplicateOrBadLayerName_IsRefused()
    {
        var duplicate = Valid();
        duplicate.Layers[1].Layer = "conv1";
        var spaced = Valid();
        spaced.Layers[0].Layer = "conv 1";

        Assert.Contains("appears more than once", Assert.Single(EventRules.CheckActivation(duplicate, Now).Items).Message);
        Assert.Equal("layers[0].layer", Assert.Single(EventRules.CheckActivation(spaced, Now).Items).Field);
    }

    [Fact]
    public void CheckActivation_LargerThanKafkaTakes_IsRefused()
    {
        var activation = Valid();
        for (var i = 0; i < 4; i++)
            activation.Layers.Add(new LayerActivation { Layer = $"big{i}", Values = { new float[EventRules.MaxLayerValues] } });

        Assert.Contains(EventRules.CheckActivation(activation, Now).Items, v => v.Field == "event" && v.Message.Contains("bytes serialized"));
    }

    [Fact]
    public void CheckActivation_MillionBadValues_ReportsAtMostTheLimit()
    {
        var activation = Valid();
        for (var i = 0; i < 60; i++)
            activation.Layers.Add(new LayerActivation { Layer = $"l{i}", Values = { float.NaN } });

        Assert.Equal(RuleViolations.Limit, EventRules.CheckActivation(activation, Now).Count);
    }

    [Fact]
    public void IsEventId_DerivedIdsWithColonsAndSlashes_AreAcceptedUpToTheirLimit()
    {
        Assert.True(EventRules.IsEventId("alert:small-cnn/cam-1/3f2a", EventRules.MaxDerivedIdLength));
        Assert.False(EventRules.IsEventId("alert:small-cnn/cam-1/3f2a\n", EventRules.MaxDerivedIdLength));
        Assert.False(EventRules.IsEventId(new string('a', 129)));
    }

    [Theory]
    [InlineData("__model")]
    [InlineData("__x")]
    public void CheckActivation_ReservedStreamId_RefusedNamingTheField(string reserved)
    {
        var activation = Valid();
        activation.Header.StreamId = reserved;

        var violations = EventRules.CheckActivation(activation, Now, ModelLayers);

        var message = Assert.Single(violations.ToDictionary()["header.streamId"]);
        Assert.Contains("reserved", message, StringComparison.Ordinal);
        Assert.False(EventRules.IsClientStreamId(reserved));
    }

    [Fact]
    public void CheckHeader_ModelWideStreamId_AcceptedInDerivedEvents()
    {
        // Windows, detections and alerts of the model-wide window carry it; every consumer must accept them.
        var header = Valid().Header;
        header.StreamId = WindowScopes.ModelWideStreamId;
        var violations = new RuleViolations();

        EventRules.CheckHeader(header, violations, maxEventIdLength: EventRules.MaxDerivedIdLength);

        Assert.Equal(0, violations.Count);
        Assert.True(EventRules.IsId(WindowScopes.ModelWideStreamId));
    }

    [Theory]
    [InlineData("_model", true)]
    [InlineData("model__", true)]
    [InlineData("a__b", true)]
    [InlineData("__", false)]
    [InlineData("__model", false)]
    public void IsClientStreamId_OnlyTheDoubleUnderscorePrefixIsReserved(string streamId, bool expected)
    {
        Assert.Equal(expected, EventRules.IsClientStreamId(streamId));
    }
}
