using Google.Protobuf;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Streaming.Contracts;

namespace Streaming.Inference.Api;

/// <summary>
/// POST /v1/activations: activation events computed elsewhere (any language, through the .proto), e.g. by
/// a Python model server. Content-Type <c>application/x-protobuf</c> is one ActivationEvent;
/// <c>application/x-protobuf; proto=streaming.v1.ActivationBatch</c> is an ActivationBatch. Valid events
/// are published to the activations topic unchanged, keyed by their stream id; any invalid event
/// rejects the whole request with a 400 naming the field.
/// </summary>
public static class ActivationsEndpoint
{
    public const string ProtobufMediaType = "application/x-protobuf";
    public const string BatchMessageName = "streaming.v1.ActivationBatch";
    public const string EventMessageName = "streaming.v1.ActivationEvent";

    public static IEndpointRouteBuilder MapActivationIngestion(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/activations", HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(
        HttpRequest http,
        ActivationPublisher publisher,
        IOptions<InferenceOptions> options,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (http.ContentLength > limits.MaxRequestBytes)
            return BadRequest($"Request body is {http.ContentLength} bytes; at most {limits.MaxRequestBytes} are accepted.");
        if (!MediaTypeHeaderValue.TryParse(http.ContentType, out var contentType)
            || !contentType.MediaType.Equals(ProtobufMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return BadRequest($"Content-Type must be {ProtobufMediaType} (one ActivationEvent) or {ProtobufMediaType}; proto={BatchMessageName}.");
        }

        var proto = contentType.Parameters.FirstOrDefault(p => p.Name.Equals("proto", StringComparison.OrdinalIgnoreCase))?.Value.Value?.Trim('"');
        var isBatch = proto == BatchMessageName;
        if (proto is not null && !isBatch && proto != EventMessageName)
            return BadRequest($"Content-Type parameter proto is '{proto}'; expected {EventMessageName} or {BatchMessageName}.");

        var body = await ReadBodyAsync(http, limits.MaxRequestBytes, cancellationToken);
        if (body is null)
            return BadRequest($"Request body exceeds {limits.MaxRequestBytes} bytes.");
        if (body.Length == 0)
            return BadRequest("Request body is empty; expected a serialized " + (isBatch ? BatchMessageName : EventMessageName) + ".");

        List<(ActivationEvent Event, byte[] Bytes)> events;
        try
        {
            if (isBatch)
            {
                events = ActivationBatch.Parser.ParseFrom(body).Events.Select(e => (e, e.ToByteArray())).ToList();
            }
            else
            {
                // A single event is published with exactly the bytes the client sent.
                events = [(ActivationEvent.Parser.ParseFrom(body), body)];
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            return BadRequest($"Body is not a valid {(isBatch ? BatchMessageName : EventMessageName)}: {ex.Message}");
        }

        if (events.Count == 0)
            return BadRequest("The batch has no events.");
        if (events.Count > limits.MaxBatch)
            return BadRequest($"The batch has {events.Count} events; at most {limits.MaxBatch} per request.");

        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < events.Count && errors.Count < 20; i++)
            ActivationEventValidator.Validate(events[i].Event, isBatch ? $"events[{i}]." : "", errors);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The activation events are invalid.");

        foreach (var (activation, bytes) in events)
            publisher.PublishIngested(activation, bytes);
        return Results.Accepted(value: new IngestResponse(events.Count, events.Select(e => e.Event.Header.EventId).ToArray()));
    }

    /// <summary>The whole body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest http, int maxBytes, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await http.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > maxBytes)
                return null;
            body.Write(buffer, 0, read);
        }

        return body.ToArray();
    }

    private static IResult BadRequest(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "The activation request is invalid.");
}
