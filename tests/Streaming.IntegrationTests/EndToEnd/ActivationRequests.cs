using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>Requests to POST /v1/activations, as a model server written in another language sends them.</summary>
internal static class ActivationRequests
{
    public const string Protobuf = "application/x-protobuf";

    public const string Batch = "streaming.v1.ActivationBatch";

    /// <summary>
    /// A valid event of model "python-resnet" version 7 (not the served model, so its layers are not
    /// checked against it): conv1 with 2 values, fc1 with 3, one attribute.
    /// </summary>
    public static ActivationEvent Event(string eventId, string streamId = "py-server")
    {
        var activation = new ActivationEvent
        {
            Header = new EventHeader
            {
                SchemaVersion = SchemaVersions.Current,
                EventId = eventId,
                Model = "python-resnet",
                ModelVersion = "7",
                StreamId = streamId,
                Timestamp = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            },
            PredictedClass = 3,
            Confidence = 0.9f,
            Attributes = { ["source"] = "python" },
        };
        activation.Layers.Add(new LayerActivation { Layer = "conv1", Values = { 0.1f, 0.2f } });
        activation.Layers.Add(new LayerActivation { Layer = "fc1", Values = { 1f, 2f, 3f } });
        return activation;
    }

    /// <summary><paramref name="bytes"/> as application/x-protobuf, naming the message type when <paramref name="proto"/> is given.</summary>
    public static ByteArrayContent Body(byte[] bytes, string? proto = null)
    {
        var content = new ByteArrayContent(bytes);
        var type = new MediaTypeHeaderValue(Protobuf);
        if (proto is not null)
            type.Parameters.Add(new NameValueHeaderValue("proto", proto));
        content.Headers.ContentType = type;
        return content;
    }

    /// <summary>Posts <paramref name="content"/> and asserts the status and that the answer contains <paramref name="expected"/>.</summary>
    public static async Task AssertRefusedAsync(HttpClient http, Uri uri, HttpContent content, HttpStatusCode expectedStatus, string expected, CancellationToken cancellationToken)
    {
        using (content)
        {
            using var response = await http.PostAsync(uri, content, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.StatusCode == expectedStatus, $"{(int)response.StatusCode}: {body}");
            Assert.Contains(expected, body);
        }
    }
}
