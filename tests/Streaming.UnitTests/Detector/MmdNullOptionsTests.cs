using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Streaming.Detection;
using Streaming.Detection.WindowTest;
using Streaming.Detector.Extensions;

namespace Streaming.UnitTests.Detector;

public sealed class MmdNullOptionsTests : IDisposable
{
    private readonly string _reference = Path.Combine(Path.GetTempPath(), $"mmd-null-options-{Guid.NewGuid():N}.ref");

    public MmdNullOptionsTests() => File.WriteAllBytes(_reference, [0]);   // only its existence is validated here

    public void Dispose() => File.Delete(_reference);

    private DetectorOptions Resolve(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Detector:ReferencePath"] = _reference,
            ["Detector:Mode"] = "online",   // registers no window runner, so no reference is loaded
            [key] = value,
        });
        builder.AddDetector();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<DetectorOptions>>().Value;
    }

    [Fact]
    public void Resolve_PrecomputedNull_Binds()
    {
        var options = Resolve("Detector:Mmd:Null", "Precomputed");

        Assert.Equal(MmdNullMode.Precomputed, options.Mmd.Null);
    }

    [Fact]
    public void Resolve_HostThreads_Binds() => Assert.Equal(3, Resolve("Detector:Mmd:HostThreads", "3").Mmd.HostThreads);

    [Theory]
    [InlineData("Detector:Mmd:Null", "7")]
    [InlineData("Detector:Mmd:NullWindows", "50")]
    [InlineData("Detector:Mmd:PrepareWindowSize", "1")]
    [InlineData("Detector:Mmd:HostThreads", "-1")]
    public void Resolve_BadMmdNullSetting_FailsNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(key, value));

        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void Resolve_UnknownNullModeName_FailsNamingTheKey()
    {
        var ex = Assert.ThrowsAny<InvalidOperationException>(() => Resolve("Detector:Mmd:Null", "Cheap"));

        Assert.Contains("Detector:Mmd:Null", ex.Message);
    }

    [Theory]
    [InlineData("ILGPU", ComputeBackend.Ilgpu)]
    [InlineData("Auto", ComputeBackend.Auto)]
    [InlineData("TorchSharp", ComputeBackend.TorchSharp)]
    public void Resolve_Backend_Binds(string value, ComputeBackend expected)
    {
        Assert.Equal(expected, Resolve("Detector:Backend", value).Backend);
    }

    [Fact]
    public void Resolve_NoBackendSetting_StaysOnTorchSharp()
    {
        Assert.Equal(ComputeBackend.TorchSharp, Resolve("Detector:Alpha", "0.05").Backend);
    }

    [Theory]
    [InlineData("Cuda")]
    [InlineData("9")]
    public void Resolve_UnknownBackend_FailsNamingTheKey(string value)
    {
        var ex = Assert.ThrowsAny<Exception>(() => Resolve("Detector:Backend", value));

        Assert.Contains("Detector:Backend", ex.Message);
    }
}
