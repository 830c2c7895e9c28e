using Google.Protobuf;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Streaming.Contracts;
using Streaming.Contracts.Validation;

namespace Streaming.Inference.Api;

/// <summary>
/// POST /v1/activations: activation events computed elsewhere (any language, through the .proto), e.g. by
/// a Python model server. Content-Type <c>application/x-protobuf</c> is one ActivationEvent;
/// <c>application/x-protobuf; proto=streaming.v1.ActivationBatch</c> is an ActivationBatch. Every event is
/// checked against the contract's rules first (and against the served model's layers when it names that
/// model); any invalid event refuses the whole request with a 400 naming the field and nothing is published.
/// Valid events are published unchanged, keyed by their stream id, and the answer (202) waits for Kafka.
/// </summary>
public static class ActivationsEndpoint
{
    public const string ProtobufMediaType = "application/x-protobuf";
    public const string BatchMessageName = "streaming.v1.ActivationBatch";
    public const string EventMessageName = "streaming.v1.ActivationEvent";
    private const string Title = "The activation request is invalid.";

    public static RouteHandlerBuilder MapActivationIngestion(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/v1/activations", HandleAsync);

    private static async Task<IResult> HandleAsync(
        HttpRequest http,
        ActivationPublisher publisher,
        ModelHost model,
        InferenceMetrics metrics,
        IOptions<InferenceOptions> options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (!MediaTypeHeaderValue.TryParse(http.ContentType, out var contentType)
            || !contentType.MediaType.Equals(ProtobufMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return ProblemResults.BadRequest(Title, $"Content-Type must be {ProtobufMediaType} (one ActivationEvent) or {ProtobufMediaType}; proto={BatchMessageName}.");
        }

        var proto = contentType.Parameters.FirstOrDefault(p => p.Name.Equals("proto", StringComparison.OrdinalIgnoreCase))?.Value.Value?.Trim('"');
        var isBatch = proto == BatchMessageName;
        if (proto is not null && !isBatch && proto != EventMessageName)
            return ProblemResults.BadRequest(Title, $"Content-Type parameter proto is '{proto}'; expected {EventMessageName} or {BatchMessageName}.");

        var body = await RequestBody.ReadAsync(http, limits.MaxRequestBytes, cancellationToken);
        if (body is null)
            return ProblemResults.TooLarge(Title, limits.MaxRequestBytes);
        if (body.Length == 0)
            return ProblemResults.BadRequest(Title, "Request body is empty; expected a serialized " + (isBatch ? BatchMessageName : EventMessageName) + ".");

        List<(ActivationEvent Event, byte[] Bytes)> events;
        try
        {
            if (isBatch)
            {
                // Count before parsing: the batch limit bounds the objects a request can make us build.
                var count = ActivationBatchScanner.CountEvents(body, limits.MaxBatch);
                if (count == 0)
                    return ProblemResults.BadRequest(Title, "The batch has no events.");
                if (count > limits.MaxBatch)
                    return ProblemResults.BadRequest(Title, $"The batch has more than {limits.MaxBatch} events; at most {limits.MaxBatch} per request (Inference:MaxBatch).");
                events = [.. ActivationBatch.Parser.ParseFrom(body).Events.Select(e => (e, e.ToByteArray()))];
            }
            else
            {
                // A single event is published with exactly the bytes the client sent.
                events = [(ActivationEvent.Parser.ParseFrom(body), body)];
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            return ProblemResults.BadRequest(Title, $"Body is not a valid {(isBatch ? BatchMessageName : EventMessageName)}: {ex.Message}");
        }

        var now = timeProvider.GetUtcNow();
        var servedLayers = model.Layers.ToDictionary(l => l.Name, l => l.VectorDim, StringComparer.Ordinal);
        var violations = new RuleViolations();
        for (var i = 0; i < events.Count && !violations.IsFull; i++)
        {
            var activation = events[i].Event;
            // Events of the model this service serves must have its layers, sized as it captures them.
            var expected = activation.Header is { } h && h.Model == model.Manifest.Name && h.ModelVersion == model.Manifest.Version ? servedLayers : null;
            EventRules.CheckActivation(activation, violations, isBatch ? $"events[{i}]." : "", now, expected);
        }

        if (violations.Count > 0)
            return ProblemResults.Invalid("The activation events are invalid.", violations);

        var outcome = await publisher.PublishAsync([.. events.Select(e => ActivationPublisher.Ingested(e.Event, e.Bytes))], cancellationToken);
        if (!outcome.Succeeded)
            return ProblemResults.Unavailable(outcome, http.HttpContext.Response);
        metrics.RecordIngested(events.Count);
        return Results.Accepted(value: new IngestResponse(events.Count, [.. events.Select(e => e.Event.Header.EventId)]));
    }
}
