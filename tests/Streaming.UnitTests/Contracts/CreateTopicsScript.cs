using System.Globalization;
using System.Text.RegularExpressions;
using Streaming.Contracts;

namespace Streaming.UnitTests.Contracts;

/// <summary>
/// Reads the topics infra/kafka/create-topics.sh creates (its <c>create &lt;name&gt; &lt;partitions&gt;</c>
/// lines) and compares them with <see cref="TopicCatalog"/>.
/// </summary>
public static partial class CreateTopicsScript
{
    /// <returns>The topics in the order the script creates them.</returns>
    /// <exception cref="FormatException">A line calls <c>create</c> without exactly a name and a whole partition count.</exception>
    public static IReadOnlyList<TopicSpec> Parse(string scriptText)
    {
        ArgumentNullException.ThrowIfNull(scriptText);
        var topics = new List<TopicSpec>();
        foreach (var rawLine in scriptText.Split('\n'))
        {
            var line = rawLine.Trim();
            // "create() { ... }" defines the function; only calls ("create <...>") create topics.
            if (!line.StartsWith("create ", StringComparison.Ordinal)) continue;
            var match = CreateCall().Match(line);
            if (!match.Success)
                throw new FormatException($"Not 'create <name> <partitions>': {line}");
            topics.Add(new TopicSpec(match.Groups[1].Value, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)));
        }

        return topics;
    }

    /// <returns>One line per difference (missing, extra, duplicated, other partition count); empty when they agree.</returns>
    public static IReadOnlyList<string> Differences(IReadOnlyList<TopicSpec> catalog, IReadOnlyList<TopicSpec> script)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(script);
        var differences = new List<string>();
        differences.AddRange(script.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: created {g.Count()} times by the script"));

        var scripted = script.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Partitions, StringComparer.Ordinal);
        var cataloged = catalog.ToDictionary(t => t.Name, t => t.Partitions, StringComparer.Ordinal);
        foreach (var (name, partitions) in cataloged)
        {
            if (!scripted.TryGetValue(name, out var scriptPartitions))
                differences.Add($"{name}: in the catalog, not created by the script");
            else if (scriptPartitions != partitions)
                differences.Add($"{name}: {partitions} partitions in the catalog, {scriptPartitions} in the script");
        }

        differences.AddRange(scripted.Keys.Where(name => !cataloged.ContainsKey(name))
            .Select(name => $"{name}: created by the script, not in the catalog"));
        return differences;
    }

    [GeneratedRegex(@"^create\s+([A-Za-z0-9._-]+)\s+([0-9]+)$")]
    private static partial Regex CreateCall();
}
