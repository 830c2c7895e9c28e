using Streaming.Lab.Attacks;

namespace Streaming.Lab.Traffic;

/// <summary>
/// A mix of traffic: <see cref="Count"/> images, of which round(Count · CleanShare) clean and the rest
/// attacked with <see cref="Attack"/> (its epsilon, target class and seed), in an order and from source
/// images drawn with <see cref="Seed"/>: the same plan gives the same sequence.
/// </summary>
public sealed record TrafficPlan(int Count, double CleanShare, AttackSpec Attack, int Seed)
{
    public int CleanCount => (int)Math.Round(Count * CleanShare, MidpointRounding.AwayFromZero);

    public int AttackedCount => Count - CleanCount;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Attack);
        if (Count <= 0)
            throw new ArgumentOutOfRangeException(nameof(Count), Count, "traffic needs at least one image.");
        if (double.IsNaN(CleanShare) || CleanShare < 0 || CleanShare > 1)
            throw new ArgumentOutOfRangeException(nameof(CleanShare), CleanShare, "clean share must be in [0, 1].");
        Attack.Validate();
    }
}
