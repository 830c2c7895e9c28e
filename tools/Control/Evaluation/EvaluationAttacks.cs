using Streaming.Lab.Attacks;
using static TorchSharp.torch;

namespace Streaming.Control.Evaluation;

/// <summary>
/// Attacks the evaluation knows by name. An attack maps (model, images in [0,1], labels, strength)
/// to adversarial images; every attack of the attack library is known by its name.
/// </summary>
public static class EvaluationAttacks
{
    public delegate Tensor Generator(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, double strength);

    // Every attack of the library by its name (fgsm, bim, pgd, deepfool, noise, negation, …); for
    // DeepFool and negation the strength is ignored (they have no L-inf budget).
    private static readonly Dictionary<string, Generator> Known = AttackSpec.KnownNames.ToDictionary(
        name => name,
        name => (Generator)((model, images, labels, eps) => AttackFactory.Create(name, eps).Generate(model, images, labels)),
        StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> Names => Known.Keys;

    public static Generator Get(string name) =>
        Known.TryGetValue(name, out var generator)
            ? generator
            : throw new ArgumentException($"Unknown attack '{name}'; known: {string.Join(", ", Known.Keys)}.", nameof(name));

    /// <summary>Parses "fgsm:0.05,0.1;pgd:0.1" into (attack, strength) pairs.</summary>
    public static IReadOnlyList<(string Attack, double Strength)> Parse(string specification)
    {
        var result = new List<(string, double)>();
        foreach (var part in specification.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':', 2, StringSplitOptions.TrimEntries);
            if (pieces.Length != 2)
                throw new ArgumentException($"Attack '{part}' must look like name:strength[,strength…], e.g. fgsm:0.1,0.3.");
            Get(pieces[0]);
            foreach (var value in pieces[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var strength) || !(strength > 0))
                    throw new ArgumentException($"Attack '{pieces[0]}' has strength '{value}'; it must be a positive number.");
                result.Add((pieces[0].ToLowerInvariant(), strength));
            }
        }
        return result.Count > 0 ? result : throw new ArgumentException("No attack given.");
    }
}
