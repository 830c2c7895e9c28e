namespace Streaming.Lab.Attacks;

/// <summary>Builds the attack a spec describes.</summary>
public static class AttackFactory
{
    public static IAttack Create(AttackSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind switch
        {
            AttackKind.Noise => new UniformNoiseAttack(spec),
            AttackKind.Negation => new NegationAttack(spec),
            AttackKind.Fgsm => new FgsmAttack(spec),
            AttackKind.Bim or AttackKind.Pgd => new IterativeAttack(spec),
            AttackKind.DeepFool => new DeepFoolAttack(spec),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown attack kind."),
        };
    }

    /// <summary>Shorthand for <see cref="AttackSpec.Parse"/> then <see cref="Create(AttackSpec)"/>.</summary>
    public static IAttack Create(string name, double epsilon) => Create(AttackSpec.Parse(name, epsilon));
}
