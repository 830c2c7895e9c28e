using System.Net.Http.Headers;
using Google.Protobuf;
using Streaming.Contracts;

namespace Streaming.Control.LoadTest;

/// <summary>
/// Posts activation events to the inference service's POST /v1/activations as one ActivationBatch per
/// send, as a model server in another language would; a send completes on the 202 (events taken by Kafka).
/// </summary>
public sealed class HttpActivationSink(HttpClient http, Uri inference) : IActivationSink
{
    private const string MediaType = "application/x-protobuf";
    private const string BatchMessage = "streaming.v1.ActivationBatch";
    private readonly Uri _endpoint = new(inference, "/v1/activations");

    public async Task SendAsync(IReadOnlyList<ActivationEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var batch = new ActivationBatch();
        batch.Events.AddRange(events);
        using var content = new ByteArrayContent(batch.ToByteArray());
        var type = new MediaTypeHeaderValue(MediaType);
        type.Parameters.Add(new NameValueHeaderValue("proto", BatchMessage));
        content.Headers.ContentType = type;
        using var response = await http.PostAsync(_endpoint, content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        // The HttpClient belongs to the caller.
    }
}
