namespace Streaming.Detection.Scanning;

/// <summary>φ(α, N_α, N) of the non-parametric scan statistics; finite for every 0 ≤ N_α ≤ N, N ≥ 1 and α in (0, 1).</summary>
public static class ScanScores
{
    public static double Score(ScanStatistic statistic, double countBelow, double count, double alpha) => statistic switch
    {
        ScanStatistic.BerkJones => BerkJones(countBelow, count, alpha),
        ScanStatistic.HigherCriticism => HigherCriticism(countBelow, count, alpha),
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "Unknown scan statistic."),
    };

    /// <summary>N·KL(N_α/N ‖ α) when the observed share exceeds α, else 0.</summary>
    public static double BerkJones(double countBelow, double count, double alpha)
    {
        double share = countBelow / count;
        if (!(share > alpha))
        {
            return 0;
        }
        double divergence = share * Math.Log(share / alpha);
        if (share < 1)
        {
            divergence += (1 - share) * Math.Log((1 - share) / (1 - alpha));
        }
        return count * divergence;
    }

    /// <summary>(N_α − Nα) / √(Nα(1−α)).</summary>
    public static double HigherCriticism(double countBelow, double count, double alpha) =>
        (countBelow - count * alpha) / Math.Sqrt(count * alpha * (1 - alpha));
}
