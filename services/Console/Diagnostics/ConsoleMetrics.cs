using System.Diagnostics.Metrics;

namespace Streaming.Console.Diagnostics;

/// <summary>The console's counters (meter "Streaming.Console"): messages recorded and redeliveries skipped, by kind.</summary>
public sealed class ConsoleMetrics
{
    public const string MeterName = "Streaming.Console";

    private readonly Counter<long> _recorded;
    private readonly Counter<long> _duplicates;

    public ConsoleMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _recorded = meter.CreateCounter<long>("console.history.recorded", description: "Detections and alerts recorded in the console's history.");
        _duplicates = meter.CreateCounter<long>("console.history.duplicates", description: "Redelivered detections and alerts recognised and skipped.");
    }

    public void Recorded(string kind, bool recorded)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        if (recorded) _recorded.Add(1, tag);
        else _duplicates.Add(1, tag);
    }
}
