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
        foreach (var project in ProjectFiles(repoRoot))
            graph[Relative(repoRoot, Path.GetDirectoryName(project)!)] = References(repoRoot, project);

        return graph;
    }

    /// <returns>Each project's assembly name (its &lt;AssemblyName&gt;, else the .csproj file name) mapped to its folder.</returns>
    public static IReadOnlyDictionary<string, string> AssemblyNames(string repoRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoRoot);
        var names = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var project in ProjectFiles(repoRoot))
        {
            var assemblyName = XDocument.Load(project).Descendants()
                .FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value.Trim();
            names[string.IsNullOrEmpty(assemblyName) ? Path.GetFileNameWithoutExtension(project) : assemblyName] =
                Relative(repoRoot, Path.GetDirectoryName(project)!);
        }

        return names;
    }

    /// <returns>Every project <paramref name="project"/> reaches through project references, itself excluded.</returns>
    public static IReadOnlySet<string> Reachable(IReadOnlyDictionary<string, IReadOnlyList<string>> graph, string project)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!graph.TryGetValue(next, out var references)) continue;
            foreach (var reference in references)
            {
                if (reached.Add(reference)) pending.Push(reference);
            }
        }

        reached.Remove(project);
        return reached;
    }

    private static IEnumerable<string> ProjectFiles(string repoRoot) =>
        Layers.Select(layer => Path.Combine(repoRoot, layer))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories))
            .Where(project => !IsBuildOutput(repoRoot, project));

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
