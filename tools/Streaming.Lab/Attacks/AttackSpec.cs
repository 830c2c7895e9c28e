using System.Globalization;

namespace Streaming.Lab.Attacks;

/// <summary>
/// What to generate: the attack family, its L-inf budget and its knobs. Defaults follow the papers:
/// 10 steps of 2.5·eps/steps for BIM/PGD, overshoot 0.02 and at most 50 iterations for DeepFool.
/// </summary>
public sealed record AttackSpec(AttackKind Kind, double Epsilon)
{
    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> KnownNames { get; } =
        ["noise", "negation", "fgsm", "fgsm-targeted", "bim", "bim-targeted", "pgd", "pgd-targeted", "deepfool"];

    /// <summary>Gradient steps of BIM and PGD.</summary>
    public int Steps { get; init; } = 10;

    /// <summary>Step size of BIM and PGD; null means 2.5·eps/steps (Madry et al.).</summary>
    public double? StepSize { get; init; }

    /// <summary>Push towards <see cref="TargetClass"/> (or label+1 mod classes) instead of away from the label.</summary>
    public bool Targeted { get; init; }

    /// <summary>The class a targeted attack aims at; null: each image's (label + 1) mod <see cref="ClassCount"/>.</summary>
    public int? TargetClass { get; init; }

    /// <summary>Start from a uniformly random point of the eps ball (PGD).</summary>
    public bool RandomStart { get; init; }

    /// <summary>Seed of every random draw (noise, random start): the same seed gives the same images.</summary>
    public int Seed { get; init; }

    /// <summary>DeepFool's overshoot factor past the boundary.</summary>
    public double Overshoot { get; init; } = 0.02;

    /// <summary>DeepFool's iteration limit.</summary>
    public int MaxIterations { get; init; } = 50;

    public int ClassCount { get; init; } = 10;

    /// <summary>Images per forward/backward pass.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Whether the result stays within <see cref="Epsilon"/> of the input in L-inf (negation and DeepFool do not).</summary>
    public bool IsBounded => Kind is not (AttackKind.Negation or AttackKind.DeepFool);

    /// <summary>Whether the attack follows the model's gradient (noise and negation ignore the model).</summary>
    public bool UsesGradients => Kind is not (AttackKind.Noise or AttackKind.Negation);

    public double EffectiveStepSize => StepSize ?? (2.5 * Epsilon / Steps);

    /// <summary>The name <see cref="Parse"/> reads back, e.g. "pgd-targeted".</summary>
    public string Name => Kind.ToString().ToLowerInvariant() + (Targeted ? "-targeted" : string.Empty);

    /// <summary>Epsilon as attribute text (invariant culture), or "none" where the attack has no budget.</summary>
    public string EpsilonText => IsBounded ? Epsilon.ToString(CultureInfo.InvariantCulture) : "none";

    /// <summary>Reads one of <see cref="KnownNames"/>; PGD gets a random start, as defined.</summary>
    public static AttackSpec Parse(string name, double epsilon)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var normalised = name.Trim().ToLowerInvariant();
        var targeted = normalised.EndsWith("-targeted", StringComparison.Ordinal);
        var family = targeted ? normalised[..^"-targeted".Length] : normalised;
        if (!KnownNames.Contains(normalised) || !Enum.TryParse<AttackKind>(family, ignoreCase: true, out var kind))
        {
            throw new ArgumentException($"Unknown attack '{name}'; known attacks: {string.Join(", ", KnownNames)}.", nameof(name));
        }

        return new AttackSpec(kind, epsilon) { Targeted = targeted, RandomStart = kind == AttackKind.Pgd };
    }

    /// <summary>Throws with a message naming the setting that is out of range.</summary>
    public void Validate()
    {
        if (double.IsNaN(Epsilon) || Epsilon < 0 || Epsilon > 1)
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "epsilon must be in [0, 1] (pixels are in [0, 1]).");
        if (Steps <= 0)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "steps must be positive.");
        if (StepSize is { } step && (double.IsNaN(step) || step <= 0))
            throw new ArgumentOutOfRangeException(nameof(StepSize), step, "step size must be positive.");
        if (ClassCount < 2)
            throw new ArgumentOutOfRangeException(nameof(ClassCount), ClassCount, "a classifier needs at least 2 classes.");
        if (TargetClass is { } target && (target < 0 || target >= ClassCount))
            throw new ArgumentOutOfRangeException(nameof(TargetClass), target, $"target class must be in [0, {ClassCount - 1}].");
        if (Targeted && Kind is AttackKind.Noise or AttackKind.Negation or AttackKind.DeepFool)
            throw new ArgumentException($"{Kind} has no targeted variant; targeted attacks are fgsm, bim and pgd.", nameof(Targeted));
        if (Overshoot < 0 || double.IsNaN(Overshoot))
            throw new ArgumentOutOfRangeException(nameof(Overshoot), Overshoot, "overshoot must not be negative.");
        if (MaxIterations <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "max iterations must be positive.");
        if (BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be positive.");
    }

    /// <summary>The class a targeted attack aims at for an image of class <paramref name="label"/>.</summary>
    public int TargetFor(int label) => TargetClass ?? ((label + 1) % ClassCount);
}
