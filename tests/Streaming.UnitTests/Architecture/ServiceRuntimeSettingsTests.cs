using System.Text.Json;
using Streaming.LocalStack;

namespace Streaming.UnitTests.Architecture;

/// <summary>
/// Every service is built with the JIT settings of services/Directory.Build.props: loops compiled optimised at
/// once and no instrumented PGO tier. Without them the image path's detection p99 at 800 images/s was 1-2 s
/// instead of about 0.35 s (docs/measurements.md), so a service that loses them is a regression. Read from
/// the runtimeconfig.json the build wrote next to each service, which is what the runtime obeys.
/// </summary>
public sealed class ServiceRuntimeSettingsTests
{
    private static readonly RepoPaths Paths = RepoPaths.Discover();

    public static TheoryData<string> Services() =>
        [.. ProjectGraph.Load(Paths.Root).Keys.Where(p => p.StartsWith("services/", StringComparison.Ordinal)).Select(p => p["services/".Length..])];

    [Theory]
    [MemberData(nameof(Services))]
    public void RuntimeConfig_EachService_CompilesLoopsOptimisedWithoutInstrumentedTier(string service)
    {
        var dll = Paths.ServiceDll(service);
        var runtimeConfig = Path.ChangeExtension(dll, ".runtimeconfig.json");
        Assert.True(File.Exists(runtimeConfig), $"{runtimeConfig} not found; build the solution first.");

        using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredCompilation.QuickJitForLoops").GetBoolean());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }
}
