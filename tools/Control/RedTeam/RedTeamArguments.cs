using System.CommandLine.Parsing;
using System.Globalization;

namespace Streaming.Control.RedTeam;

/// <summary>Parsers of <c>control redteam</c>'s list options: a bad value is refused at parse time, naming the option.</summary>
public static class RedTeamArguments
{
    /// <summary>"a,b,c": trimmed, lower-case, non-empty names.</summary>
    public static IReadOnlyList<string>? Names(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = Text(result);
        if (text is null) return null;
        var names = Split(text).Select(n => n.ToLowerInvariant()).ToList();
        if (names.Count == 0) result.AddError($"{OptionName(result)}: give at least one name, comma-separated.");
        return names;
    }

    /// <summary>"0.05,0.1,0.2": shares in (0, 1].</summary>
    public static IReadOnlyList<double>? Shares(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = Text(result);
        if (text is null) return null;
        var shares = new List<double>();
        foreach (var part in Split(text))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || !(share > 0 && share <= 1))
            {
                result.AddError($"{OptionName(result)}: '{part}' is not a share in (0, 1] (e.g. 0.05,0.1,0.2).");
                return null;
            }

            shares.Add(share);
        }

        if (shares.Count == 0) result.AddError($"{OptionName(result)}: give at least one share, e.g. 0.1.");
        return shares;
    }

    /// <summary>"fgsm=0.1,pgd=0.3": an L-inf budget in (0, 1] per attack.</summary>
    public static IReadOnlyDictionary<string, double>? Epsilons(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = Text(result);
        if (text is null) return null;
        var epsilons = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in Split(text))
        {
            var pieces = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || pieces[0].Length == 0
                || !double.TryParse(pieces[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var eps) || !(eps > 0 && eps <= 1))
            {
                result.AddError($"{OptionName(result)}: '{part}' must look like attack=eps with eps in (0, 1] (e.g. fgsm=0.1,pgd=0.3).");
                return null;
            }

            epsilons[pieces[0].ToLowerInvariant()] = eps;
        }

        return epsilons;
    }

    private static IEnumerable<string> Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Text(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
