namespace Streaming.UnitTests.Architecture;

/// <summary>
/// What may reference what: a service (deployed) only the shared runtime libraries, so no service
/// ships another service or a tool; a tool (never deployed) shared libraries and other tools;
/// a shared library only other shared libraries. The layer is a project's top-level folder.
/// </summary>
public static class LayerRules
{
    /// <param name="graph">Project folder mapped to referenced project folders (see <see cref="ProjectGraph"/>).</param>
    /// <returns>One line per forbidden reference, empty when the graph keeps every rule.</returns>
    public static IReadOnlyList<string> Violations(IReadOnlyDictionary<string, IReadOnlyList<string>> graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var violations = new List<string>();
        foreach (var (project, references) in graph.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var reference in references)
            {
                if (Why(Layer(project), Layer(reference)) is { } why)
                    violations.Add($"{project} -> {reference}: {why}");
            }
        }

        return violations;
    }

    /// <returns>Null when a project of <paramref name="from"/> may reference one of <paramref name="to"/>.</returns>
    private static string? Why(string from, string to) => (from, to) switch
    {
        ("services", "services") => "no service references another service",
        ("services", _) when to != "shared" => "services reference only shared/*",
        ("shared", _) when to != "shared" => "shared libraries reference only shared/*",
        ("tools", _) when to is not ("shared" or "tools") => "tools reference only shared/* and tools/*",
        ("services" or "shared" or "tools", _) => null,
        _ => $"'{from}' is not a layer ({string.Join(", ", ProjectGraph.Layers)})",
    };

    private static string Layer(string projectFolder)
    {
        var slash = projectFolder.IndexOf('/');
        return slash < 0 ? projectFolder : projectFolder[..slash];
    }
}
