using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Options;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.UnitTests.Alerting;

public sealed class AlertWebhookPayloadTests
{
    private static readonly DateTimeOffset AlertTime = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void For_NonFiniteNumbers_WritesJsonNullForEachAndKeepsTheFiniteOnes(double bad)
    {
        var alert = NewAlert();
        alert.CombinedPValue = bad;
        alert.Alpha = bad;
        alert.Layers[0].Mmd2 = bad;
        alert.Layers[0].PValue = bad;

        var json = Json(alert);

        Assert.Equal(JsonValueKind.Null, json.GetProperty("combinedPValue").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("alpha").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("layers")[0].GetProperty("mmd2").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("layers")[0].GetProperty("pValue").ValueKind);
        Assert.Equal(0.25, json.GetProperty("layers")[1].GetProperty("mmd2").GetDouble());
        Assert.Equal(0.001, json.GetProperty("layers")[1].GetProperty("pValue").GetDouble());
    }

    [Fact]
    public void For_OnlineAlertWithNaNPValues_WritesModeThresholdAndRunLength()
    {
        var alert = NewAlert();
        alert.Mode = "online";
        alert.RunLength = 1234;
        alert.CombinedPValue = double.NaN;
        foreach (var layer in alert.Layers) layer.PValue = double.NaN;
        alert.Layers[0].Threshold = 0.05;
        alert.Layers[1].Threshold = double.PositiveInfinity;

        var json = Json(alert);

        Assert.Equal("online", json.GetProperty("mode").GetString());
        Assert.Equal(1234UL, json.GetProperty("runLength").GetUInt64());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("combinedPValue").ValueKind);
        Assert.Equal(0.05, json.GetProperty("layers")[0].GetProperty("threshold").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("layers")[1].GetProperty("threshold").ValueKind);
        Assert.Contains("online mode, no p-value", Slack(alert));
    }

    [Fact]
    public void For_WindowAlertWithEvidence_WritesKindFamiliesAndSuspiciousEvents()
    {
        var alert = NewAlert();
        alert.Kind = "adversarial";
        alert.MmdPValue = 0.2;
        alert.Scan = new ScanSummary { Statistic = "berk-jones", Score = 12.5, PValue = 0.004 };
        alert.InputPValue = 0.0003;
        alert.SuspiciousEvents.Add(new SuspiciousEvent { EventId = "e-7", StreamId = "s-1", PValue = 0.0001, Layer = "fc1", Flagged = true, Adversarial = true });
        alert.SuspiciousEvents.Add(new SuspiciousEvent { EventId = "e-9", StreamId = "s-2", PValue = double.NaN, Layer = "conv1" });

        var json = Json(alert);

        Assert.Equal("adversarial", json.GetProperty("kind").GetString());
        Assert.Equal(0.2, json.GetProperty("mmdPValue").GetDouble());
        Assert.Equal(0.004, json.GetProperty("scanPValue").GetDouble());
        Assert.Equal(0.0003, json.GetProperty("inputPValue").GetDouble());
        var first = json.GetProperty("suspiciousEvents")[0];
        Assert.Equal("e-7", first.GetProperty("eventId").GetString());
        Assert.Equal("s-1", first.GetProperty("streamId").GetString());
        Assert.True(first.GetProperty("flagged").GetBoolean());
        Assert.True(first.GetProperty("adversarial").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("suspiciousEvents")[1].GetProperty("pValue").ValueKind);
    }

    [Fact]
    public void For_AlertWithoutScanOrInputScores_NullFamiliesAndNoKind()
    {
        var json = Json(NewAlert());

        Assert.Equal(JsonValueKind.Null, json.GetProperty("kind").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("scanPValue").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("inputPValue").ValueKind);
        Assert.Equal(0, json.GetProperty("suspiciousEvents").GetArrayLength());
    }

    [Fact]
    public void For_WindowAlert_ModeWindowWithoutThresholdOrRunLength()
    {
        var json = Json(NewAlert());

        Assert.Equal("window", json.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("runLength").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("layers")[0].GetProperty("threshold").ValueKind);
        Assert.Equal(0.002, json.GetProperty("combinedPValue").GetDouble());
    }

    [Theory]
    [InlineData(1_000_000_000_000L, 0)]
    [InlineData(0L, -1)]
    [InlineData(0L, 1_000_000_000)]
    [InlineData(-62_135_596_801L, 0)]
    [InlineData(253_402_300_800L, 0)]
    [InlineData(long.MaxValue, int.MaxValue)]
    public void For_TimestampOutOfRange_WritesNullInsteadOfThrowing(long seconds, int nanos)
    {
        var alert = NewAlert();
        alert.Header.Timestamp = new Timestamp { Seconds = seconds, Nanos = nanos };
        alert.LastEventTimestamp = new Timestamp { Seconds = seconds, Nanos = nanos };

        var json = Json(alert);

        Assert.Equal(JsonValueKind.Null, json.GetProperty("timestamp").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("lastEventTimestamp").ValueKind);
    }

    [Fact]
    public void For_TimestampsAtTheEdgesOfTheRange_Kept()
    {
        var alert = NewAlert();
        alert.Header.Timestamp = new Timestamp { Seconds = 253_402_300_799L, Nanos = 999_999_999 };
        alert.LastEventTimestamp = new Timestamp { Seconds = -62_135_596_800L, Nanos = 0 };

        var json = Json(alert);

        Assert.Equal(DateTimeOffset.MaxValue, json.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.MinValue, json.GetProperty("lastEventTimestamp").GetDateTimeOffset());
    }

    [Fact]
    public void For_MissingTimestamps_Null()
    {
        var alert = NewAlert();
        alert.Header.Timestamp = null;
        alert.LastEventTimestamp = null;

        var json = Json(alert);

        Assert.Equal(JsonValueKind.Null, json.GetProperty("timestamp").ValueKind);
        Assert.Equal(AlertTime, Json(NewAlert()).GetProperty("timestamp").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("AlertId", "alert:m/evil\n/1", "alert_id 'alert:m/evil\\u000A/1' contains the control character U+000A at index 12")]
    [InlineData("AlertId", "a\r\nInjected: 1", "alert_id")]
    [InlineData("AlertId", "a\0b", "U+0000")]
    [InlineData("AlertId", "café", "non-ASCII character U+00E9")]
    [InlineData("AlertId", " padded", "starts or ends with a space")]
    [InlineData("Model", "mnist\ncnn", "header.model 'mnist\\u000Acnn' contains the control character U+000A")]
    [InlineData("StreamId", "tenant\u0085", "header.stream_id")]
    [InlineData("ModelVersion", "3\u007f", "header.model_version")]
    [InlineData("WindowId", "w\t1", "window_id")]
    public void From_IdThatCannotBeDelivered_MalformedNamingTheField(string field, string value, string expected)
    {
        var alert = NewAlert();
        switch (field)
        {
            case "AlertId": alert.AlertId = value; break;
            case "Model": alert.Header.Model = value; break;
            case "StreamId": alert.Header.StreamId = value; break;
            case "ModelVersion": alert.Header.ModelVersion = value; break;
            case "WindowId": alert.WindowId = value; break;
        }

        var error = Assert.Throws<MalformedMessageException>(() => AlertWebhookPayload.From(alert));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void From_AbsurdlyLongStreamId_MalformedWithAnExcerptOnly()
    {
        var alert = NewAlert();
        alert.Header.StreamId = new string('s', 400_000);

        var error = Assert.Throws<MalformedMessageException>(() => AlertWebhookPayload.From(alert));

        Assert.Contains("header.stream_id", error.Message);
        Assert.Contains("is 400000 characters long (at most 512)", error.Message);
        Assert.True(error.Message.Length < 300, error.Message);
    }

    [Fact]
    public void For_AlertNamingItsReference_WritesReferenceIdAndFallback()
    {
        var alert = NewAlert();
        alert.ReferenceId = "small-cnn/v2/0123456789ab";
        alert.ReferenceFallback = true;

        var json = Json(alert);

        Assert.Equal("small-cnn/v2/0123456789ab", json.GetProperty("referenceId").GetString());
        Assert.True(json.GetProperty("referenceFallback").GetBoolean());
        Assert.Equal(JsonValueKind.Null, Json(NewAlert()).GetProperty("referenceId").ValueKind);
        Assert.False(Json(NewAlert()).GetProperty("referenceFallback").GetBoolean());
    }

    [Fact]
    public void From_IdsAtTheLengthLimitWithUnicodeModel_Accepted()
    {
        var alert = NewAlert();
        alert.AlertId = new string('a', DeliverableAlert.MaxIdLength);
        alert.Header.Model = "modèle-ü";

        Assert.Equal(alert.AlertId, AlertWebhookPayload.From(alert).AlertId);
    }

    [Fact]
    public void Slack_IdsWithSlackControlCharacters_Escaped()
    {
        var alert = NewAlert();
        alert.Header.StreamId = "<!channel>";
        alert.Header.Model = "a&b";

        var text = Slack(alert);

        Assert.Contains("`&lt;!channel&gt;`", text);
        Assert.Contains("`a&amp;b`", text);
        Assert.DoesNotContain("<!channel>", text);
    }

    private static JsonElement Json(Alert alert) =>
        JsonDocument.Parse(new WebhookBodies(AlertWebhookPayload.From(alert)).For(WebhookFormat.Json)).RootElement;

    private static string Slack(Alert alert) =>
        JsonDocument.Parse(new WebhookBodies(AlertWebhookPayload.From(alert)).For(WebhookFormat.Slack)).RootElement.GetProperty("text").GetString()!;

    private static Alert NewAlert() => new()
    {
        Header = new EventHeader
        {
            SchemaVersion = SchemaVersions.Current,
            EventId = "e-1",
            Model = "mnist-cnn",
            ModelVersion = "3",
            StreamId = "tenant-a",
            Timestamp = Timestamp.FromDateTimeOffset(AlertTime),
        },
        AlertId = "alert:mnist-cnn/tenant-a/1",
        WindowId = "w-17",
        RejectedLayers = { "conv2" },
        CombinedPValue = 0.002,
        Alpha = 0.05,
        Layers =
        {
            new LayerResult { Layer = "conv1", Mmd2 = 0.01, PValue = 0.4, Rejected = false, Permutations = 500 },
            new LayerResult { Layer = "conv2", Mmd2 = 0.25, PValue = 0.001, Rejected = true, Permutations = 500 },
        },
        TopEventIds = { "e-9", "e-4" },
        LastEventTimestamp = Timestamp.FromDateTimeOffset(AlertTime.AddSeconds(-1)),
        Severity = "high",
    };
}
