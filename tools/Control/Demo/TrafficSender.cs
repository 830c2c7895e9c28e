using System.Diagnostics;
using System.Net.Http.Json;

namespace Streaming.Control.Demo;

/// <summary>Sends images to the inference endpoint in batches, as a client would.</summary>
public sealed class TrafficSender(HttpClient http, Uri inference)
{
    private const int PixelsPerImage = 784;

    /// <summary>Sends <paramref name="count"/> images, each event carrying <paramref name="attributes"/>; returns per-request latencies (ms).</summary>
    public Task<IReadOnlyList<double>> SendAsync(
        string streamId,
        float[] pixels,
        int count,
        int batchSize,
        IReadOnlyDictionary<string, string> attributes,
        IProgress<int>? progress,
        CancellationToken cancellationToken) =>
        SendAsync(streamId, pixels, count, batchSize, attributes, imageAttributes: null, progress, cancellationToken);

    /// <summary>
    /// As above, plus <paramref name="imageAttributes"/> (one per image, in order) sent as the request's
    /// per-image attributes: mixed traffic keeps each image's ground truth in its own event.
    /// </summary>
    public async Task<IReadOnlyList<double>> SendAsync(
        string streamId,
        float[] pixels,
        int count,
        int batchSize,
        IReadOnlyDictionary<string, string>? attributes,
        IReadOnlyList<IReadOnlyDictionary<string, string>>? imageAttributes,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (pixels.Length < count * PixelsPerImage)
            throw new ArgumentException($"pixels holds {pixels.Length / PixelsPerImage} images, fewer than the {count} to send.", nameof(pixels));
        if (imageAttributes is not null && imageAttributes.Count < count)
            throw new ArgumentException($"imageAttributes has {imageAttributes.Count} entries for {count} images.", nameof(imageAttributes));

        var latencies = new List<double>();
        for (var start = 0; start < count; start += batchSize)
        {
            var n = Math.Min(batchSize, count - start);
            var images = new float[n][];
            for (var i = 0; i < n; i++)
                images[i] = pixels.AsSpan((start + i) * PixelsPerImage, PixelsPerImage).ToArray();

            var began = Stopwatch.GetTimestamp();
            object body = imageAttributes is null
                ? new { streamId, images, attributes }
                : new { streamId, images, attributes, imageAttributes = imageAttributes.Skip(start).Take(n).ToArray() };
            using var response = await http.PostAsJsonAsync(new Uri(inference, "/v1/predict"), body, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Inference answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            progress?.Report(start + n);
        }

        return latencies;
    }
}
