using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;
using Streaming.Control.Hosting;
using Streaming.Messaging;
using Streaming.Messaging.Mock;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>POST /v1/activations on a real inference process: events computed elsewhere reach the topic unchanged, bad ones get 400s.</summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class IngestionEndpointTests(TrainedModelFixture model)
{
    private const string Protobuf = "application/x-protobuf";

    [Fact]
    public async Task PostActivations_EventAndBatch_PublishedAsIsKeyedByStreamAndBadOnesGet400()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 2);
        await using var service = ServiceProcess.Start("Inference", model.Paths.ServiceDll("Inference"), FreePort.Next(),
            new Dictionary<string, string>
            {
                ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
                ["Inference__ModelDirectory"] = model.Paths.DefaultModelDirectory,
                ["Inference__MaxBatch"] = "4",
            },
            Path.Combine(model.Paths.Artifacts, "test-logs", nameof(IngestionEndpointTests)));
        using var http = new HttpClient();
        await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), cts.Token);
        var uri = new Uri(service.BaseAddress, "/v1/activations");

        var single = Event("py-server", "e-1");
        var batch = new ActivationBatch { Events = { Event("py-server", "e-2"), Event("other-stream", "e-3") } };
        using (var response = await http.PostAsync(uri, Body(single.ToByteArray()), cts.Token))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using (var response = await http.PostAsync(uri, Body(batch.ToByteArray(), "streaming.v1.ActivationBatch"), cts.Token))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Contains("\"accepted\":2", await response.Content.ReadAsStringAsync(cts.Token));
        }

        var wrongVersion = Event("s", "bad-1");
        wrongVersion.Header.SchemaVersion = 99;
        await AssertBadRequestAsync(http, uri, Body(wrongVersion.ToByteArray()), "schema_version is 99", cts.Token);
        var notFinite = Event("s", "bad-2");
        notFinite.Layers[1].Values[2] = float.NaN;
        await AssertBadRequestAsync(http, uri, Body(notFinite.ToByteArray()), "layers[1].values", cts.Token);
        var noName = Event("s", "bad-3");
        noName.Layers[0].Layer = "";
        await AssertBadRequestAsync(http, uri, Body(noName.ToByteArray()), "layer name must not be empty", cts.Token);
        var noHeader = Event("s", "bad-4");
        noHeader.Header = null;
        await AssertBadRequestAsync(http, uri, Body(noHeader.ToByteArray()), "header is required", cts.Token);
        var badInBatch = new ActivationBatch { Events = { Event("s", "ok-5"), Event("bad stream id!", "bad-5") } };
        await AssertBadRequestAsync(http, uri, Body(badInBatch.ToByteArray(), "streaming.v1.ActivationBatch"), "events[1].header.streamId", cts.Token);
        var tooMany = new ActivationBatch { Events = { Enumerable.Range(0, 5).Select(i => Event("s", $"many-{i}")) } };
        await AssertBadRequestAsync(http, uri, Body(tooMany.ToByteArray(), "streaming.v1.ActivationBatch"), "at most 4", cts.Token);
        await AssertBadRequestAsync(http, uri, Body([0xff, 0xff, 0xff]), "not a valid streaming.v1.ActivationEvent", cts.Token);
        await AssertBadRequestAsync(http, uri, new StringContent("{}", Encoding.UTF8, "application/json"), "Content-Type must be application/x-protobuf", cts.Token);

        using var reader = new TopicReader(new KafkaOptions { BootstrapServers = kafka.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 }, Topics.Activations);
        await reader.WaitForAsync(3, TimeSpan.FromSeconds(30), cts.Token);
        await Task.Delay(1000, cts.Token);
        var messages = reader.Messages;
        Assert.Equal(3, messages.Count);
        var byId = messages.ToDictionary(m => ActivationEvent.Parser.ParseFrom(m.Value).Header.EventId);
        Assert.Equal(["e-1", "e-2", "e-3"], byId.Keys.Order());
        Assert.Equal(single.ToByteArray(), byId["e-1"].Value);
        Assert.Equal(batch.Events[1], ActivationEvent.Parser.ParseFrom(byId["e-3"].Value));
        Assert.Equal("py-server", Encoding.UTF8.GetString(byId["e-2"].Key));
        Assert.Equal("other-stream", Encoding.UTF8.GetString(byId["e-3"].Key));
    }

    private static ActivationEvent Event(string streamId, string eventId)
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
        activation.Layers.Add(new LayerActivation { Layer = "layer1", Values = { 0.1f, 0.2f } });
        activation.Layers.Add(new LayerActivation { Layer = "layer4", Values = { 1f, 2f, 3f } });
        return activation;
    }

    private static ByteArrayContent Body(byte[] bytes, string? proto = null)
    {
        var content = new ByteArrayContent(bytes);
        var type = new MediaTypeHeaderValue(Protobuf);
        if (proto is not null)
            type.Parameters.Add(new NameValueHeaderValue("proto", proto));
        content.Headers.ContentType = type;
        return content;
    }

    private static async Task AssertBadRequestAsync(HttpClient http, Uri uri, HttpContent content, string expected, CancellationToken cancellationToken)
    {
        using (content)
        {
            using var response = await http.PostAsync(uri, content, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
            Assert.Contains(expected, body);
        }
    }
}
