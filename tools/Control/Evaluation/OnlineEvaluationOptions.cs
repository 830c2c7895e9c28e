namespace Streaming.Control.Evaluation;

public sealed record OnlineEvaluationOptions
{
    public int WindowSize { get; init; } = 20;

    public double ExpectedRunTime { get; init; } = 500;

    public int Bootstraps { get; init; } = 20_000;

    /// <summary>Clean images whose activations form the reference (taken first from the test split).</summary>
    public int ReferenceSize { get; init; } = 1000;

    /// <summary>Held-out clean images the clean streams are drawn from (never in the reference).</summary>
    public int CleanPoolSize { get; init; } = 3000;

    /// <summary>Images attacked to form each attack's pool (after the clean ones).</summary>
    public int AttackPoolSize { get; init; } = 1000;

    /// <summary>False alarms to observe on clean streams; the measured ERT is their mean run length.</summary>
    public int FalseAlarms { get; init; } = 100;

    /// <summary>Runs per attack for the detection delay.</summary>
    public int DelayRuns { get; init; } = 100;

    /// <summary>Clean events before the change in each delay run.</summary>
    public int Warmup { get; init; } = 100;

    /// <summary>Attacked events after which a run counts as missed.</summary>
    public int MaxDelay { get; init; } = 500;

    public IReadOnlyList<(string Attack, double Strength)> Attacks { get; init; } = [("fgsm", 0.1), ("fgsm", 0.3), ("pgd", 0.1)];

    public ulong Seed { get; init; } = 1;
}
