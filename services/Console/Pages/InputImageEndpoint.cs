using Streaming.Console.Inputs;

namespace Streaming.Console.Pages;

/// <summary>GET /inputs/{eventId}.png: the input image Inference captured for an event; 404 once it expired.</summary>
public static class InputImageEndpoint
{
    public static async Task<IResult> HandleAsync(string eventId, CapturedInputReader inputs, HttpContext context)
    {
        var png = await inputs.ImageAsync(eventId);
        if (png is null)
            return Results.NotFound();
        context.Response.Headers.CacheControl = "private, max-age=300";
        return Results.Bytes(png, "image/png");
    }
}
