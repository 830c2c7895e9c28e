using Streaming.Control.Demo;

namespace Streaming.Control.LoadTest;

/// <summary>
/// Splits each window's detection latency into stages: <c>windowing</c> (completing event to the window closed in
/// Redis), <c>outbox</c> (closed to its announcement in Kafka), <c>queue</c> (announced to the Detector starting its
/// test), <c>test</c> (the Detector's test time), <c>delivery</c> (detection created to its arrival at the observer).
/// Windows whose announcement was not seen (<c>announcements</c> gives null) are left out.
/// </summary>
public static class LatencyBreakdown
{
    public static readonly string[] Stages = ["windowing", "outbox", "queue", "test", "delivery"];

    public static IReadOnlyList<StageLatency> Of(IReadOnlyList<DetectionTiming> timings, Func<string, (DateTimeOffset Closed, DateTimeOffset Announced)?> announcements)
    {
        var rows = Rows(timings, announcements).Select(r => (r.Timing.TotalMs, r.Stages)).ToList();
        if (rows.Count == 0) return [];
        // The slowest 1 % (at least one window): which stage their time went to.
        var slowest = rows.OrderByDescending(r => r.TotalMs).Take(Math.Max(1, (int)Math.Ceiling(rows.Count * 0.01))).ToList();
        return Stages.Select((stage, i) =>
        {
            var sorted = rows.Select(r => r.Stages[i]).Order().ToArray();
            return new StageLatency(stage, WebhookLatencies.Percentile(sorted, 0.5), WebhookLatencies.Percentile(sorted, 0.99), slowest.Average(r => r.Stages[i]));
        }).ToList();
    }

    /// <summary>Each window whose announcement was seen, with its stage times in the order of <see cref="Stages"/>.</summary>
    public static IEnumerable<(DetectionTiming Timing, double[] Stages)> Rows(IReadOnlyList<DetectionTiming> timings, Func<string, (DateTimeOffset Closed, DateTimeOffset Announced)?> announcements)
    {
        foreach (var t in timings)
        {
            if (announcements(t.WindowId) is not { } times) continue;
            var (closed, announced) = times;
            var testStart = t.Detected.AddMilliseconds(-t.TestMs);
            yield return (t,
            [
                (closed - t.LastEvent).TotalMilliseconds,
                (announced - closed).TotalMilliseconds,
                (testStart - announced).TotalMilliseconds,
                t.TestMs,
                (t.Arrived - t.Detected).TotalMilliseconds,
            ]);
        }
    }

    /// <summary>
    /// Writes every window of <paramref name="streams"/> as a CSV row: stream, window id, seconds from
    /// <paramref name="origin"/> to its completing event, total and stage times in ms.
    /// </summary>
    public static void WriteTimeline(string path, IEnumerable<(string Stream, IReadOnlyList<DetectionTiming> Timings)> streams, Func<string, (DateTimeOffset Closed, DateTimeOffset Announced)?> announcements, DateTimeOffset origin)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("stream,window_id,completed_s,total_ms," + string.Join(',', Stages.Select(s => s + "_ms")));
        foreach (var (stream, timings) in streams)
        {
            foreach (var (t, stages) in Rows(timings, announcements))
            {
                writer.WriteLine(FormattableString.Invariant($"{stream},{t.WindowId},{(t.LastEvent - origin).TotalSeconds:0.000},{t.TotalMs:0.0},")
                    + string.Join(',', stages.Select(v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
            }
        }
    }

    /// <summary>When the <paramref name="count"/> slowest windows' completing events came, in seconds since <paramref name="phaseStart"/>, slowest first.</summary>
    public static IReadOnlyList<double> SlowestAtSeconds(IReadOnlyList<DetectionTiming> timings, DateTimeOffset phaseStart, int count) =>
        timings.OrderByDescending(t => t.TotalMs).Take(count).Select(t => Math.Round((t.LastEvent - phaseStart).TotalSeconds, 1)).ToList();
}
