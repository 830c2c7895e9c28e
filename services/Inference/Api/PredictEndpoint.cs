using System.Text.Json;
using Microsoft.Extensions.Options;
using Streaming.Contracts.Validation;
using Streaming.Inference.Capture;

namespace Streaming.Inference.Api;

/// <summary>
/// POST /v1/predict: classify a batch and publish one activation event per image. The request is read
/// with its limits checked while reading, validated whole, the events built and checked, and only
/// then published; the answer waits for Kafka (503 when it does not confirm).
/// </summary>
public static class PredictEndpoint
{
    private const string Title = "The predict request is invalid.";

    public static RouteHandlerBuilder MapPredict(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/v1/predict", HandleAsync);

    private static async Task<IResult> HandleAsync(
        HttpRequest http,
        ModelHost model,
        ActivationPublisher publisher,
        InputCapture capture,
        InferenceMetrics metrics,
        IOptions<InferenceOptions> options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var receivedAt = timeProvider.GetUtcNow();
        var limits = options.Value;
        if (http.ContentType is null || !http.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return ProblemResults.BadRequest(Title, "Content-Type must be application/json: {\"streamId\": \"...\", \"images\": [[784 numbers in [0,1]], ...]}.");

        var body = await RequestBody.ReadAsync(http, limits.MaxRequestBytes, cancellationToken);
        if (body is null)
            return ProblemResults.TooLarge(Title, limits.MaxRequestBytes);
        if (body.Length == 0)
            return ProblemResults.BadRequest(Title, "Body is empty; expected {\"streamId\": \"...\", \"images\": [[...]]}.");

        var violations = new RuleViolations();
        PredictRequest request;
        try
        {
            request = PredictRequestReader.Read(body, limits.MaxBatch, violations);
        }
        catch (JsonException ex)
        {
            return ProblemResults.BadRequest(Title, $"Body is not a valid predict request: {ex.Message}");
        }

        if (violations.Count == 0)
            PredictRequestValidator.Validate(request, limits.MaxBatch, violations);
        if (violations.Count > 0)
            return ProblemResults.Invalid(Title, violations);

        var images = request.Images!;
        var pixels = new float[images.Length * PredictRequestValidator.PixelsPerImage];
        for (var i = 0; i < images.Length; i++)
            images[i].CopyTo(pixels, i * PredictRequestValidator.PixelsPerImage);

        var outputs = model.Run(pixels, images.Length);
        var (predictions, messages) = publisher.BuildPredicted(request.StreamId!, outputs, request.Attributes, receivedAt, request.ImageAttributes);
        // Kept before publishing, so an alert on these events finds their images.
        await capture.CaptureAsync(request.StreamId!, predictions, pixels);
        var outcome = await publisher.PublishAsync(messages, cancellationToken);
        if (!outcome.Succeeded)
            return ProblemResults.Unavailable(outcome, http.HttpContext.Response);
        metrics.RecordImages(outputs.Count);
        return Results.Ok(new PredictResponse(model.Manifest.Name, model.Manifest.Version, predictions));
    }
}
