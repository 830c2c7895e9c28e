using Microsoft.AspNetCore.Http.Features;

namespace Streaming.Inference.Api;

/// <summary>
/// Reads a request body of at most a given size. The limit is enforced while reading (the server
/// stops a larger body, with or without Content-Length), and a body that declares its length gets
/// one buffer of exactly that size, so a hostile client cannot make us hold more than the limit.
/// </summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest http, int maxBytes, CancellationToken cancellationToken)
    {
        var sizeFeature = http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = maxBytes;
        if (http.ContentLength > maxBytes)
            return null;

        try
        {
            if (http.ContentLength is { } declared)
                return await ReadExactlyAsync(http.Body, (int)declared, cancellationToken);
            return await ReadChunkedAsync(http.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) throw new BadHttpRequestException("The request body ended before its Content-Length.", StatusCodes.Status400BadRequest);
            read += n;
        }

        return buffer;
    }

    private static async Task<byte[]?> ReadChunkedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (collected.Length + n > maxBytes)
                return null;
            collected.Write(chunk, 0, n);
        }

        return collected.ToArray();
    }
}
