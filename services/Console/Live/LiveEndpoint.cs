using Streaming.Console.History;

namespace Streaming.Console.Live;

/// <summary>
/// GET /api/live?model=…&amp;stream=…: server-sent events, one "window" event per recorded window of
/// the stream (JSON <see cref="DetectionPoint"/>), and a comment every 15 s to keep proxies from closing it.
/// </summary>
public static class LiveEndpoint
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task HandleAsync(HttpContext context, string? model, string? stream, LiveFeed feed, HistoryReader history, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(model) || string.IsNullOrEmpty(stream) || await history.StateAsync(model, stream) is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var subscription = feed.Subscribe(new StreamRef(model, stream));
        if (subscription is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.WriteAsync("retry: 3000\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
        var reader = subscription.Queue.Reader;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(KeepAlive);
                string? point = null;
                try
                {
                    if (await reader.WaitToReadAsync(wait.Token))
                        reader.TryRead(out point);
                    else
                        return;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Nothing for a while: a comment line keeps the connection open.
                }

                await context.Response.WriteAsync(point is null ? ": keep-alive\n\n" : $"event: window\ndata: {point}\n\n", cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser left.
        }
    }
}
