namespace Streaming.Detection.Scanning;

/// <summary>
/// Non-parametric scan statistic F(S) = max over α of φ(α, N_α(S), N(S)), where N(S) is the number
/// of p-values in subset S and N_α(S) how many of them are at most α. Both statistics satisfy the
/// linear-time subset scanning property at fixed α (McFowland, Speakman and Neill 2013).
/// </summary>
public enum ScanStatistic
{
    /// <summary>
    /// Berk–Jones: N·KL(N_α/N, α) when N_α/N &gt; α, else 0. The log-likelihood ratio of a binomial
    /// excess; the default in Cintas et al. (IJCAI 2020) and ART's subset scanning detector.
    /// </summary>
    BerkJones,

    /// <summary>
    /// Higher Criticism: (N_α − Nα) / √(Nα(1−α)). More sensitive to very small α on a few p-values;
    /// unbounded there, so its null distribution has a heavier tail.
    /// </summary>
    HigherCriticism,
}
