using Streaming.Contracts.Validation;

namespace Streaming.Inference.Api;

/// <summary>The answers the ingestion endpoints give besides success, as RFC 7807 problems.</summary>
internal static class ProblemResults
{
    public static IResult BadRequest(string title, string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    public static IResult TooLarge(string title, int maxBytes) =>
        Results.Problem(detail: $"Request body exceeds {maxBytes} bytes (Inference:MaxRequestBytes).", statusCode: StatusCodes.Status413PayloadTooLarge, title: title);

    public static IResult Invalid(string title, RuleViolations violations) =>
        Results.ValidationProblem(violations.ToDictionary(), title: title);

    /// <summary>A valid request Kafka did not take: the client may retry (activation events carry their ids, so a retry de-duplicates).</summary>
    public static IResult Unavailable(PublishOutcome outcome, HttpResponse response)
    {
        response.Headers.RetryAfter = "1";
        return Results.Problem(
            detail: $"{outcome.Error} {outcome.Published} of {outcome.Total} events were confirmed.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "The events could not be published; retry later.");
    }
}
