namespace Streaming.Console.History;

/// <summary>
/// A model's clean baseline: windows with no event labelled as attacked (clean or unlabelled
/// traffic) and how many of them were rejected; the rate a clean stream should stay near (≈ α).
/// </summary>
public sealed record Baseline(long Windows, long Alerts)
{
    public double? Rate => Windows == 0 ? null : (double)Alerts / Windows;
}
