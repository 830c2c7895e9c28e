namespace Streaming.Control.Evaluation;

/// <summary>Detection delay of the online detector after clean traffic turns into one attack.</summary>
/// <param name="Delays">Attacked events until the alarm, per detected run.</param>
public sealed record OnlineAttackResult(string Attack, double Strength, int Runs, IReadOnlyList<int> Delays, int FalseAlarmsBeforeChange)
{
    public double DetectedShare => Runs == 0 ? 0 : Delays.Count / (double)Runs;

    public double MeanDelay => Delays.Count == 0 ? double.NaN : Delays.Average();

    public double MedianDelay => Percentile(0.5);

    public double P90Delay => Percentile(0.9);

    private double Percentile(double q)
    {
        if (Delays.Count == 0) return double.NaN;
        var sorted = Delays.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }
}
