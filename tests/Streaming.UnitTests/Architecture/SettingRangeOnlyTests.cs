using Streaming.LocalStack;

namespace Streaming.UnitTests.Architecture;

/// <summary>
/// Options are checked by source-generated validators, and the generator swaps a plain
/// [Range] for its own copy that drops ErrorMessage (dotnet/runtime#123137), so the message would no
/// longer name the configuration key. [SettingRange] keeps it; a plain [Range] in shipped code is refused.
/// </summary>
public sealed class SettingRangeOnlyTests
{
    private static readonly string Root = RepoPaths.Discover().Root;

    [Fact]
    public void RangeAttribute_ShippedSources_AreAllSettingRange()
    {
        var offenders = new[] { "services", "shared" }
            .SelectMany(layer => Directory.EnumerateFiles(Path.Combine(Root, layer), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => File.ReadAllText(file).Contains("[Range(", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Root, file))
            .ToList();

        Assert.True(offenders.Count == 0, "Use [SettingRange] instead of [Range] in: " + string.Join(", ", offenders));
    }
}
