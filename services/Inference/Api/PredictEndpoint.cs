using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Streaming.Inference.Api;

/// <summary>POST /v1/predict: classify a batch and publish one activation event per image.</summary>
public static class PredictEndpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapPredict(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/predict", HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(
        HttpRequest http,
        ModelHost model,
        ActivationPublisher publisher,
        IOptions<InferenceOptions> options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var receivedAt = timeProvider.GetUtcNow();
        var limits = options.Value;
        if (http.ContentLength > limits.MaxRequestBytes)
            return BadRequest($"Request body is {http.ContentLength} bytes; at most {limits.MaxRequestBytes} are accepted.");
        if (http.ContentType is null || !http.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return BadRequest("Content-Type must be application/json: {\"streamId\": \"...\", \"images\": [[784 numbers in [0,1]], ...]}.");

        PredictRequest? request;
        try
        {
            using var body = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await http.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (body.Length + read > limits.MaxRequestBytes)
                    return BadRequest($"Request body exceeds {limits.MaxRequestBytes} bytes.");
                body.Write(buffer, 0, read);
            }

            body.Position = 0;
            request = JsonSerializer.Deserialize<PredictRequest>(body, Json);
        }
        catch (JsonException ex)
        {
            return BadRequest($"Body is not a valid predict request: {ex.Message}");
        }

        if (request is null)
            return BadRequest("Body is empty; expected {\"streamId\": \"...\", \"images\": [[...]]}.");
        var errors = PredictRequestValidator.Validate(request, limits.MaxBatch);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The predict request is invalid.");

        var images = request.Images!;
        var pixels = new float[images.Length * PredictRequestValidator.PixelsPerImage];
        for (var i = 0; i < images.Length; i++)
            images[i].CopyTo(pixels, i * PredictRequestValidator.PixelsPerImage);

        var outputs = model.Run(pixels, images.Length);
        var predictions = publisher.Publish(request.StreamId!, outputs, request.Attributes, receivedAt, request.ImageAttributes);
        return Results.Ok(new PredictResponse(model.Manifest.Name, model.Manifest.Version, predictions));
    }

    private static IResult BadRequest(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "The predict request is invalid.");
}
