using System.Text.Json;
using Streaming.LocalStack.Webhooks;

namespace Streaming.Control.Demo;

/// <summary>End-to-end latency: from the inference request of the event that completed a window to its webhook's arrival.</summary>
public static class WebhookLatencies
{
    public static LatencySummary FromReceiver(WebhookReceiver receiver)
    {
        var latencies = new List<double>();
        foreach (var request in receiver.Accepted)
        {
            using var json = JsonDocument.Parse(request.Body);
            if (json.RootElement.TryGetProperty("lastEventTimestamp", out var last) && last.TryGetDateTimeOffset(out var sentAt))
                latencies.Add((request.ReceivedAt - sentAt).TotalMilliseconds);
        }

        return Summarize(latencies);
    }

    public static LatencySummary Summarize(IReadOnlyList<double> latencies)
    {
        if (latencies.Count == 0) return new LatencySummary(0, 0, 0);
        var sorted = latencies.Order().ToArray();
        return new LatencySummary(Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        var rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
