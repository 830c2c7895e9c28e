using System.Globalization;

namespace Streaming.Control.RedTeam;

/// <summary>
/// One evasion strategy to run: its family, the attack and budget of its adversarial inputs (none for
/// <see cref="StrategyFamily.Clean"/>), the share of adversarial inputs and how many images it sends.
/// </summary>
public sealed record RedTeamStrategy(StrategyFamily Family, string? Attack, double? Epsilon, double Share, int Images)
{
    /// <summary>Trickle: clean inputs between two adversarial ones.</summary>
    public int TrickleEvery { get; init; } = 50;

    /// <summary>Spread: clean streams the normal traffic runs on.</summary>
    public int CleanStreams { get; init; } = 4;

    /// <summary>A short, unique, human name: clean, mix-pgd-10%, spread-pgd, trickle-pgd-1/50.</summary>
    public string Name => Family switch
    {
        StrategyFamily.Clean => "clean",
        StrategyFamily.Mix => string.Create(CultureInfo.InvariantCulture, $"mix-{Attack}-{Share * 100:0.#}%"),
        StrategyFamily.Spread => string.Create(CultureInfo.InvariantCulture, $"spread-{Attack}-{Share * 100:0.#}%"),
        StrategyFamily.Trickle => string.Create(CultureInfo.InvariantCulture, $"trickle-{Attack}-1/{TrickleEvery}"),
        _ => Family.ToString(),
    };

    /// <summary>The name as a stream-id part ([A-Za-z0-9._-]): mix-pgd-10, trickle-pgd-1-50.</summary>
    public string Slug => Name.Replace("%", "", StringComparison.Ordinal).Replace('/', '-');

    /// <summary>Epsilon as text: "none" for unbounded attacks (DeepFool) and for clean traffic.</summary>
    public string EpsilonText => Epsilon?.ToString(CultureInfo.InvariantCulture) ?? "none";

    /// <summary>Throws naming the setting that cannot work.</summary>
    public void Validate()
    {
        if (Images <= 0)
            throw new ArgumentOutOfRangeException(nameof(Images), Images, $"{Name}: images must be positive.");
        if (Family != StrategyFamily.Clean && string.IsNullOrWhiteSpace(Attack))
            throw new ArgumentException($"{Name}: an attack is needed.", nameof(Attack));
        switch (Family)
        {
            case StrategyFamily.Mix when !(Share > 0 && Share <= 1):
                throw new ArgumentOutOfRangeException(nameof(Share), Share, $"{Name}: the share of adversarial inputs must be in (0, 1].");
            case StrategyFamily.Spread when !(Share > 0 && Share < 1):
                throw new ArgumentOutOfRangeException(nameof(Share), Share, $"{Name}: the share of adversarial inputs must be in (0, 1): spreading hides them in clean traffic.");
            case StrategyFamily.Spread when CleanStreams <= 0:
                throw new ArgumentOutOfRangeException(nameof(CleanStreams), CleanStreams, $"{Name}: at least one clean stream is needed.");
            case StrategyFamily.Trickle when TrickleEvery <= 0:
                throw new ArgumentOutOfRangeException(nameof(TrickleEvery), TrickleEvery, $"{Name}: the clean inputs between two adversarial ones must be positive.");
        }
    }
}
