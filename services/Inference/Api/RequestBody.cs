using Microsoft.AspNetCore.Http.Features;

namespace Streaming.Inference.Api;

/// <summary>
/// Reads a request body of at most a given size. The limit is enforced here while reading (with or
/// without Content-Length), and a body that declares its length gets one buffer of exactly that
/// size, so a hostile client cannot make us hold more than the limit.
/// </summary>
/// <remarks>
/// The server's own body limit sits <see cref="DrainAllowanceBytes"/> above ours. Were it equal, the
/// server would fail the read the moment the body crossed it, answer with Connection: close and drop
/// the socket with the rest of the body unread; HttpClient (and most clients) send the whole body
/// before reading any answer, so they got "broken pipe" instead of the 413 whenever their remaining
/// bytes did not fit the socket buffers in time. With the headroom, an over-limit body is answered
/// 413 and the server reads and discards the rest (Kestrel drains for at most 5 s, nothing is kept),
/// so the client finishes sending and reads the answer; past the headroom the connection is still cut.
/// </remarks>
internal static class RequestBody
{
    /// <summary>How far past the limit a body is still drained (discarded) so that its sender can read the 413.</summary>
    public const long DrainAllowanceBytes = 16 * 1024 * 1024;

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest http, int maxBytes, CancellationToken cancellationToken)
    {
        var sizeFeature = http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = maxBytes + DrainAllowanceBytes;
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
