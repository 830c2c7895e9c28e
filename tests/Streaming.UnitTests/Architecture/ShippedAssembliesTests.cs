using System.Reflection;
using Streaming.LocalStack;

namespace Streaming.UnitTests.Architecture;

/// <summary>
/// What a service's image carries, read from the compiled assemblies rather than the .csproj files:
/// the repository assemblies a service references, transitively, are shared libraries only, and none
/// holds lab code (attacks, training, data sets) or dev hosting.
/// </summary>
public sealed class ShippedAssembliesTests
{
    private static readonly string Root = RepoPaths.Discover().Root;

    [Theory]
    [InlineData(typeof(Streaming.Inference.ModelHost))]
    [InlineData(typeof(Streaming.Windowing.WindowingOptions))]
    [InlineData(typeof(Streaming.Detector.Extensions.DetectorServiceExtensions))]
    [InlineData(typeof(Streaming.Alerting.Rules.AlertRule))]
    public void ReferencedAssemblies_Service_AreSharedLibrariesWithoutLabNamespaces(Type serviceType)
    {
        var projects = ProjectGraph.AssemblyNames(Root);

        var referenced = RepositoryAssembliesReferencedBy(serviceType.Assembly, projects);

        // Not vacuous: every service ships at least the messaging library.
        Assert.Contains("Streaming.Messaging", referenced.Select(a => a.GetName().Name));
        foreach (var assembly in referenced)
        {
            var project = projects[assembly.GetName().Name!];
            Assert.True(project.StartsWith("shared/", StringComparison.Ordinal), $"{serviceType.Assembly.GetName().Name} ships {project}");
            var lab = assembly.GetTypes().Select(t => t.Namespace).OfType<string>().Where(IsLabOrHosting).Distinct().ToList();
            Assert.True(lab.Count == 0, $"{project} ships {string.Join(", ", lab)}");
        }
    }

    [Fact]
    public void ReferencedAssemblies_Inference_IncludeTheServingLibraryButNoAttacks()
    {
        var referenced = RepositoryAssembliesReferencedBy(typeof(Streaming.Inference.ModelHost).Assembly, ProjectGraph.AssemblyNames(Root));

        var ml = Assert.Single(referenced, a => a.GetName().Name == "Streaming.Ml");
        Assert.Contains(ml.GetTypes(), t => t.Name == "ModelRunner");
        Assert.DoesNotContain(referenced.SelectMany(a => a.GetTypes()), t => t.Namespace?.Contains(".Attacks", StringComparison.Ordinal) == true);
        // The check would see the attacks if they shipped: the lab assembly holds them.
        Assert.Contains(typeof(Streaming.Lab.Attacks.IAttack).Assembly.GetTypes(), t => t.Namespace == "Streaming.Lab.Attacks");
    }

    private static bool IsLabOrHosting(string ns) =>
        ns.StartsWith("Streaming.Lab", StringComparison.Ordinal)
        || ns.StartsWith("Streaming.LocalStack", StringComparison.Ordinal)
        || ns.StartsWith("Streaming.Control", StringComparison.Ordinal)
        || ns.Contains(".Attacks", StringComparison.Ordinal);

    /// <returns>The assemblies of this repository's projects that <paramref name="root"/> references, directly or not.</returns>
    private static List<Assembly> RepositoryAssembliesReferencedBy(Assembly root, IReadOnlyDictionary<string, string> projects)
    {
        var found = new List<Assembly>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (name.Name is not { } simple || !projects.ContainsKey(simple) || !seen.Add(simple)) continue;
                var referenced = Assembly.Load(name);
                found.Add(referenced);
                pending.Push(referenced);
            }
        }

        return found;
    }
}
