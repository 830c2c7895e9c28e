using System.Net;
using System.Text;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.Messaging;
using static Streaming.IntegrationTests.EndToEnd.ActivationRequests;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>POST /v1/activations on a real inference process: events computed elsewhere reach the topic unchanged, bad ones get 400s.</summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class IngestionEndpointTests(TrainedModelFixture model)
{
    [Fact]
    public async Task PostActivations_EventAndBatch_PublishedAsIsKeyedByStreamAndBadOnesGet400()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 2);
        await using var service = ServiceProcess.Start("Inference", model.Paths.ServiceDll("Inference"),
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

        var single = Event("e-1", "py-server");
        var batch = new ActivationBatch { Events = { Event("e-2", "py-server"), Event("e-3", "other-stream") } };
        using (var response = await http.PostAsync(uri, Body(single.ToByteArray()), cts.Token))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using (var response = await http.PostAsync(uri, Body(batch.ToByteArray(), Batch), cts.Token))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Contains("\"accepted\":2", await response.Content.ReadAsStringAsync(cts.Token));
        }

        var wrongVersion = Event("bad-1", "s");
        wrongVersion.Header.SchemaVersion = 99;
        await AssertRefusedAsync(http, uri, Body(wrongVersion.ToByteArray()), HttpStatusCode.BadRequest, "schema_version is 99", cts.Token);
        var notFinite = Event("bad-2", "s");
        notFinite.Layers[1].Values[2] = float.NaN;
        await AssertRefusedAsync(http, uri, Body(notFinite.ToByteArray()), HttpStatusCode.BadRequest, "layers[1].values", cts.Token);
        var noName = Event("bad-3", "s");
        noName.Layers[0].Layer = "";
        await AssertRefusedAsync(http, uri, Body(noName.ToByteArray()), HttpStatusCode.BadRequest, "layer name must not be empty", cts.Token);
        var noHeader = Event("bad-4", "s");
        noHeader.Header = null;
        await AssertRefusedAsync(http, uri, Body(noHeader.ToByteArray()), HttpStatusCode.BadRequest, "header is required", cts.Token);
        var badInBatch = new ActivationBatch { Events = { Event("ok-5", "s"), Event("bad-5", "bad stream id!") } };
        await AssertRefusedAsync(http, uri, Body(badInBatch.ToByteArray(), Batch), HttpStatusCode.BadRequest, "events[1].header.streamId", cts.Token);
        var tooMany = new ActivationBatch { Events = { Enumerable.Range(0, 5).Select(i => Event($"many-{i}", "s")) } };
        await AssertRefusedAsync(http, uri, Body(tooMany.ToByteArray(), Batch), HttpStatusCode.BadRequest, "at most 4", cts.Token);
        await AssertRefusedAsync(http, uri, Body([0xff, 0xff, 0xff]), HttpStatusCode.BadRequest, "not a valid streaming.v1.ActivationEvent", cts.Token);
        await AssertRefusedAsync(http, uri, new StringContent("{}", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "Content-Type must be application/x-protobuf", cts.Token);

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
}
