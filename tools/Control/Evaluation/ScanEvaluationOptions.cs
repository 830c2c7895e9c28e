using Streaming.Detection.Scanning;

namespace Streaming.Control.Evaluation;

public sealed record ScanEvaluationOptions
{
    /// <summary>Clean test images whose autoencoder activations form the scan background.</summary>
    public int Background { get; init; } = 1000;

    /// <summary>Clean test images (after the background) that are scanned as they are and, attacked, as adversarial.</summary>
    public int Evaluated { get; init; } = 500;

    public IReadOnlyList<(string Attack, double Strength)> Attacks { get; init; } = [("bim", 0.1), ("fgsm", 0.1)];

    /// <summary>Events per group scan.</summary>
    public int GroupSize { get; init; } = 100;

    /// <summary>Group scans per kind (clean, and each attack at each share).</summary>
    public int Groups { get; init; } = 25;

    /// <summary>Shares of adversarial images in the attacked groups.</summary>
    public IReadOnlyList<double> Shares { get; init; } = [0.5, 0.1];

    public SubsetScanOptions Scan { get; init; } = new();

    public int Seed { get; init; } = 1;

    public void Validate()
    {
        if (Background < 1 || Evaluated < 1)
            throw new ArgumentException($"Background ({Background}) and Evaluated ({Evaluated}) must be at least 1.");
        if (GroupSize < 1 || GroupSize > Evaluated)
            throw new ArgumentException($"GroupSize must lie in [1, Evaluated = {Evaluated}], got {GroupSize}.", nameof(GroupSize));
        if (Groups < 2)
            throw new ArgumentException($"Groups must be at least 2, got {Groups}.", nameof(Groups));
        if (Attacks.Count == 0)
            throw new ArgumentException("At least one attack is needed.", nameof(Attacks));
        if (Shares.Any(s => !(s > 0 && s <= 1)))
            throw new ArgumentException($"Shares must lie in (0, 1], got {string.Join(", ", Shares)}.", nameof(Shares));
    }
}
