namespace Streaming.UnitTests.Architecture;

/// <summary>
/// What a service's Dockerfile (services/NAME/Dockerfile) and its build-context filter
/// (Dockerfile.dockerignore) name: the paths its build stage copies, the paths the filter lets
/// into the context, and its final stage.
/// </summary>
public sealed record ServiceDockerfile(IReadOnlySet<string> Copied, IReadOnlySet<string> Admitted, IReadOnlyList<string> FinalStage)
{
    public static ServiceDockerfile Read(string repoRoot, string service)
    {
        var folder = Path.Combine(repoRoot, "services", service);
        var lines = File.ReadAllLines(Path.Combine(folder, "Dockerfile")).Select(l => l.Trim()).ToList();
        var finalFrom = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        // "COPY a b dest/" in the build stage (not COPY --from=…): every word but the last is a source.
        var copied = lines.Take(finalFrom)
            .Where(l => l.StartsWith("COPY ", StringComparison.OrdinalIgnoreCase) && !l.Contains("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .Select(Normalize);
        // "!path" re-admits a path after the leading "*" shut everything out.
        var admitted = File.ReadAllLines(Path.Combine(folder, "Dockerfile.dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith('!'))
            .Select(l => Normalize(l[1..]));
        return new ServiceDockerfile(
            new SortedSet<string>(copied, StringComparer.Ordinal),
            new SortedSet<string>(admitted, StringComparer.Ordinal),
            lines.Skip(finalFrom).ToList());
    }

    private static string Normalize(string path) => path.TrimEnd('/');
}
