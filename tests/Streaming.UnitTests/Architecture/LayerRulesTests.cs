using Streaming.LocalStack;

namespace Streaming.UnitTests.Architecture;

/// <summary>The layering of services/, shared/ and tools/, checked on the repository's own .csproj files.</summary>
public sealed class LayerRulesTests
{
    private static readonly string Root = RepoPaths.Discover().Root;

    [Fact]
    public void Violations_RepositoryProjects_AreNone()
    {
        var violations = LayerRules.Violations(ProjectGraph.Load(Root));

        // Every forbidden reference in full (Assert.Empty would shorten them).
        if (violations.Count > 0)
            Assert.Fail("Forbidden project references:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Load_Repository_FindsEveryLayerAndResolvesEachReferenceToAProject()
    {
        var graph = ProjectGraph.Load(Root);

        // Not vacuous: the projects whose references matter most are read, with their references.
        Assert.Contains("shared/Streaming.Messaging", graph["services/Detector"]);
        Assert.Contains("shared/Streaming.Detection.WindowTest", graph["tools/Control"]);
        Assert.Contains("tools/Streaming.LocalStack", graph["tools/Control"]);
        Assert.Contains("tools/Streaming.Lab", graph["tools/Control"]);
        Assert.Contains("shared/Streaming.Contracts", graph["shared/Streaming.Messaging"]);
        foreach (var (project, references) in graph)
        {
            foreach (var reference in references)
                Assert.True(graph.ContainsKey(reference), $"{project} references {reference}, which is no project under {string.Join(", ", ProjectGraph.Layers)}");
        }
    }

    [Fact]
    public void Reachable_EachServiceOfTheRepository_ReachesOnlySharedLibraries()
    {
        var graph = ProjectGraph.Load(Root);
        string[] services = [.. graph.Keys.Where(p => p.StartsWith("services/", StringComparison.Ordinal))];

        // Not vacuous: the five services are read, and Inference reaches the serving library.
        Assert.Equal(["services/Alerting", "services/Console", "services/Detector", "services/Inference", "services/Windowing"], services);
        Assert.Contains("shared/Streaming.Ml", ProjectGraph.Reachable(graph, "services/Inference"));
        foreach (var service in services)
        {
            var notShared = ProjectGraph.Reachable(graph, service).Where(p => !p.StartsWith("shared/", StringComparison.Ordinal));
            Assert.True(!notShared.Any(), $"{service} reaches {string.Join(", ", notShared)}; a service ships only shared/* libraries");
        }
    }

    [Fact]
    public void Reachable_ChainWithACycle_FollowsEveryStepOnceAndExcludesTheStart()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>
        {
            ["services/Api"] = ["shared/Lib"],
            ["shared/Lib"] = ["shared/Core", "tools/Kit"],
            ["shared/Core"] = ["shared/Lib"],
            ["tools/Kit"] = [],
        };

        Assert.Equal(["shared/Core", "shared/Lib", "tools/Kit"], ProjectGraph.Reachable(graph, "services/Api"));
        Assert.Equal(["shared/Core", "tools/Kit"], ProjectGraph.Reachable(graph, "shared/Lib"));
    }

    [Theory]
    [InlineData("services/Inference", "shared/Streaming.Ml", true)]
    [InlineData("shared/Streaming.Messaging", "shared/Streaming.Contracts", true)]
    [InlineData("tools/Control", "shared/Streaming.Detection", true)]
    [InlineData("tools/Control", "tools/Streaming.LocalStack", true)]
    [InlineData("services/Detector", "services/Alerting", false)]
    [InlineData("services/Alerting", "tools/Streaming.LocalStack", false)]
    [InlineData("tools/Control", "services/Detector", false)]
    [InlineData("shared/Streaming.WindowStore", "tools/Streaming.LocalStack", false)]
    [InlineData("shared/Streaming.WindowStore", "services/Windowing", false)]
    [InlineData("services/Windowing", "tests/Streaming.UnitTests", false)]
    public void Violations_OneReference_ReportedExactlyWhenARuleForbidsIt(string from, string to, bool allowed)
    {
        var graph = new Dictionary<string, IReadOnlyList<string>> { [from] = [to], [to] = [] };

        var violations = LayerRules.Violations(graph);

        if (allowed)
            Assert.Empty(violations);
        else
            Assert.StartsWith($"{from} -> {to}: ", Assert.Single(violations));
    }

    [Fact]
    public void Violations_ServiceReferencingAService_NamesTheRule()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>
        {
            ["tools/Control"] = ["shared/Streaming.Messaging"],
            ["services/Detector"] = ["shared/Streaming.Messaging", "services/Alerting"],
            ["services/Alerting"] = ["shared/Streaming.Messaging"],
            ["shared/Streaming.Messaging"] = [],
        };

        Assert.Equal(["services/Detector -> services/Alerting: no service references another service"], LayerRules.Violations(graph));
    }

    [Fact]
    public void Load_ProjectFiles_ReferencesResolvedRelativeToEachProjectWithEitherSlash()
    {
        var root = Directory.CreateTempSubdirectory("layer-rules-").FullName;
        try
        {
            WriteProject(root, "shared/Lib/Lib.csproj");
            WriteProject(root, "services/Api/Api.csproj", "../../shared/Lib/Lib.csproj", @"..\..\tools\Kit\Kit.csproj");
            WriteProject(root, "tools/Kit/Kit.csproj", "../../shared/Lib/Lib.csproj");
            WriteProject(root, "tools/Kit/obj/Generated.csproj", "../../../services/Api/Api.csproj");

            var graph = ProjectGraph.Load(root);

            Assert.Equal(["services/Api", "shared/Lib", "tools/Kit"], graph.Keys);
            Assert.Equal(["shared/Lib", "tools/Kit"], graph["services/Api"]);
            Assert.Equal(["services/Api -> tools/Kit: services reference only shared/*"], LayerRules.Violations(graph));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void WriteProject(string root, string path, params string[] references)
    {
        var file = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var items = string.Concat(references.Select(r => $"<ProjectReference Include=\"{r}\" />"));
        File.WriteAllText(file, $"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{items}</ItemGroup></Project>");
    }
}
