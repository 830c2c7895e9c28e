using Streaming.LocalStack;

namespace Streaming.UnitTests.Architecture;

/// <summary>
/// Each service image is built from only what the service needs: its Dockerfile copies, and its
/// build-context filter admits, exactly the repository's build settings, the service and the shared
/// libraries its project references reach — read from the .csproj files, so a new reference without
/// a new COPY (a broken image build) or a COPY of something unneeded fails here.
/// </summary>
public sealed class ServiceDockerfilesTests
{
    private static readonly string Root = RepoPaths.Discover().Root;
    // services/Directory.Build.props: the runtime settings every service shares (how the JIT compiles).
    private static readonly string[] BuildSettings = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "services/Directory.Build.props"];

    public static TheoryData<string> Services() => [.. ServiceNames()];

    [Theory]
    [MemberData(nameof(Services))]
    public void BuildStage_EachService_CopiesExactlyWhatItsProjectReaches(string service)
    {
        var dockerfile = ServiceDockerfile.Read(Root, service);

        Assert.Equal(Needed(service), dockerfile.Copied);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void BuildContext_EachService_AdmitsExactlyWhatItCopies(string service)
    {
        var dockerfile = ServiceDockerfile.Read(Root, service);

        Assert.Equal(Needed(service), dockerfile.Admitted);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void FinalStage_EachService_RunsItsOwnAssembly(string service)
    {
        var assembly = ProjectGraph.AssemblyNames(Root).Single(a => a.Value == "services/" + service).Key;

        var entrypoint = ServiceDockerfile.Read(Root, service).FinalStage[^1];

        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]", entrypoint);
    }

    [Fact]
    public void FinalStage_AllServices_AreTheSameButForTheEntrypoint()
    {
        var stages = ServiceNames()
            .ToDictionary(s => s, s => ServiceDockerfile.Read(Root, s).FinalStage.SkipLast(1).ToList());

        Assert.True(stages.Count >= 4, $"found {stages.Count} services");
        var first = stages.First();
        foreach (var (service, stage) in stages.Skip(1))
            Assert.True(first.Value.SequenceEqual(stage), $"services/{service}/Dockerfile's final stage differs from services/{first.Key}/Dockerfile's; keep them the same.");
    }

    [Fact]
    public void Read_DetectorDockerfile_SeesItsSharedLibrariesButNotTheModelLibrary()
    {
        // Not vacuous: the parser finds real COPY lines, and a library the Detector does not use is not among them.
        var detector = ServiceDockerfile.Read(Root, "Detector");

        Assert.Contains("shared/Streaming.Detection", detector.Copied);
        Assert.Contains("services/Detector", detector.Copied);
        Assert.DoesNotContain("shared/Streaming.Ml", detector.Copied);
        Assert.DoesNotContain(".", detector.Copied);
    }

    private static IEnumerable<string> ServiceNames() =>
        ProjectGraph.Load(Root).Keys.Where(p => p.StartsWith("services/", StringComparison.Ordinal)).Select(p => p["services/".Length..]);

    private static SortedSet<string> Needed(string service)
    {
        var project = "services/" + service;
        var needed = new SortedSet<string>(ProjectGraph.Reachable(ProjectGraph.Load(Root), project), StringComparer.Ordinal) { project };
        needed.UnionWith(BuildSettings);
        return needed;
    }
}
