using System.Globalization;

namespace Streaming.Lab.Traffic;

/// <summary>
/// One image of planned traffic and its ground truth: which source image, its true label, and how it
/// was attacked (<see cref="CleanAttackName"/> when clean).
/// </summary>
public sealed record TrafficItem(int Position, int SourceIndex, int Label, string Attack, double? Epsilon, int? Target)
{
    public const string CleanAttackName = "none";

    /// <summary>Attribute keys that every traffic event carries.</summary>
    public const string AttackKey = "attack";
    public const string EpsilonKey = "epsilon";
    public const string LabelKey = "label";
    public const string TargetKey = "target";

    public bool IsClean => Attack == CleanAttackName;

    /// <summary>
    /// The ground truth as event attributes: attack (none|fgsm|pgd-targeted|…), epsilon (0 when clean,
    /// "none" for unbounded attacks), label, target ("none" when untargeted). Invariant culture.
    /// </summary>
    public IReadOnlyDictionary<string, string> Attributes() => new Dictionary<string, string>
    {
        [AttackKey] = Attack,
        [EpsilonKey] = IsClean ? "0" : Epsilon?.ToString(CultureInfo.InvariantCulture) ?? "none",
        [LabelKey] = Label.ToString(CultureInfo.InvariantCulture),
        [TargetKey] = Target?.ToString(CultureInfo.InvariantCulture) ?? "none",
    };
}
