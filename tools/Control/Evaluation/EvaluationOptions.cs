namespace Streaming.Control.Evaluation;

public sealed record EvaluationOptions
{
    /// <summary>K, the number of tests per configuration.</summary>
    public int Tests { get; init; } = 100;

    /// <summary>Clean samples in each test's first sample and samples in its second.</summary>
    public int SampleSize { get; init; } = 100;

    public int Permutations { get; init; } = 200;

    public double Alpha { get; init; } = 0.05;

    /// <summary>Images per pool (clean reference pool, clean second pool, attacked pool).</summary>
    public int PoolSize { get; init; } = 1000;

    public IReadOnlyList<(string Attack, double Strength)> Attacks { get; init; } = [("fgsm", 0.05), ("fgsm", 0.1), ("fgsm", 0.2), ("fgsm", 0.3)];

    /// <summary>Shares of attacked samples in a window; tested with <see cref="ShareAttack"/>.</summary>
    public IReadOnlyList<double> Shares { get; init; } = [1.0, 0.5, 0.2, 0.1];

    public (string Attack, double Strength) ShareAttack { get; init; } = ("fgsm", 0.1);

    public bool MultiBandwidth { get; init; }

    public ulong Seed { get; init; } = 1;
}
