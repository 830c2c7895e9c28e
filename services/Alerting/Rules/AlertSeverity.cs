namespace Streaming.Alerting.Rules;

/// <summary>The Detector's severities, ordered ("low" &lt; "medium" &lt; "high").</summary>
public static class AlertSeverity
{
    public static readonly IReadOnlyList<string> Ordered = ["low", "medium", "high"];

    /// <summary>Rank of a severity; unknown or empty severities rank lowest, so they are never over-prioritised.</summary>
    public static int Rank(string? severity)
    {
        for (var i = 0; i < Ordered.Count; i++)
            if (string.Equals(Ordered[i], severity, StringComparison.OrdinalIgnoreCase)) return i;
        return 0;
    }

    public static bool IsKnown(string? severity) =>
        Ordered.Any(s => string.Equals(s, severity, StringComparison.OrdinalIgnoreCase));
}
