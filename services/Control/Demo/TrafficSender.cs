using System.Diagnostics;
using System.Net.Http.Json;

namespace Streaming.Control.Demo;

/// <summary>Sends images to the inference endpoint in batches, as a client would.</summary>
public sealed class TrafficSender(HttpClient http, Uri inference)
{
    public async Task<IReadOnlyList<double>> SendAsync(
        string streamId,
        float[] pixels,
        int count,
        int batchSize,
        IReadOnlyDictionary<string, string> attributes,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        const int pixelsPerImage = 784;
        var latencies = new List<double>();
        for (var start = 0; start < count; start += batchSize)
        {
            var n = Math.Min(batchSize, count - start);
            var images = new float[n][];
            for (var i = 0; i < n; i++)
                images[i] = pixels.AsSpan((start + i) * pixelsPerImage, pixelsPerImage).ToArray();

            var began = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync(new Uri(inference, "/v1/predict"), new { streamId, images, attributes }, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Inference answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            progress?.Report(start + n);
        }

        return latencies;
    }
}
