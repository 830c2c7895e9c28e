using Streaming.Console.History;

namespace Streaming.Console.Pages;

/// <summary>GET /api/windows?model=…&amp;stream=…&amp;from=…&amp;to=…: the stream's kept windows as JSON, in time order.</summary>
public static class WindowsEndpoint
{
    public static async Task<IResult> HandleAsync(string? model, string? stream, string? from, string? to, HistoryReader history)
    {
        var range = TimeRange.Parse(from, to, out var error);
        if (range is null)
            return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        if (string.IsNullOrEmpty(model) || string.IsNullOrEmpty(stream) || await history.StateAsync(model, stream) is null)
            return Results.Problem($"Unknown stream '{stream}' of model '{model}'.", statusCode: StatusCodes.Status404NotFound);
        var windows = await history.WindowsAsync(model, stream, range.FromMs, range.ToMs);
        return Results.Json(windows, PageJsonContext.Default.IReadOnlyListDetectionPoint);
    }
}
