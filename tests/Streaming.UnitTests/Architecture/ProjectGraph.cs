using System.Xml.Linq;

namespace Streaming.UnitTests.Architecture;

/// <summary>
/// The project references of every project under services/, shared/ and tools/, read from the
/// .csproj files themselves, so the rules are checked against what the build actually uses.
/// Projects and references are named by their folder relative to the repository root, with '/'
/// ("services/Detector", "shared/Streaming.Messaging").
/// </summary>
public static class ProjectGraph
{
    public static readonly string[] Layers = ["services", "shared", "tools"];

    /// <returns>Each project's folder mapped to the folders of the projects it references.</returns>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Load(string repoRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoRoot);
        var graph = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var layer in Layers)
        {
            var folder = Path.Combine(repoRoot, layer);
            if (!Directory.Exists(folder)) continue;
            foreach (var project in Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories))
            {
                if (IsBuildOutput(repoRoot, project)) continue;
                graph[Relative(repoRoot, Path.GetDirectoryName(project)!)] = References(repoRoot, project);
            }
        }

        return graph;
    }

    private static List<string> References(string repoRoot, string projectFile)
    {
        var directory = Path.GetDirectoryName(projectFile)!;
        return [.. XDocument.Load(projectFile).Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .Select(include => Path.GetFullPath(Path.Combine(directory, include.Replace('\\', '/'))))
            .Select(referenced => Relative(repoRoot, Path.GetDirectoryName(referenced)!))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>bin/ and obj/ can hold generated project files; they are not projects of the solution.</summary>
    private static bool IsBuildOutput(string repoRoot, string projectFile) =>
        Relative(repoRoot, projectFile).Split('/').Any(part => part is "bin" or "obj");

    private static string Relative(string repoRoot, string path) =>
        Path.GetRelativePath(repoRoot, path).Replace('\\', '/');
}
