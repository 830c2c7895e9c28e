using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Streaming.Detection.WindowTest;
using Streaming.Detector.Extensions;

namespace Streaming.UnitTests.Detector;

/// <summary>AddDetector's options validation (generated from the attributes, nested sections included), as a start would run it.</summary>
public sealed class DetectorServiceExtensionsTests : IDisposable
{
    private readonly string _reference = Path.GetTempFileName();

    public void Dispose() => File.Delete(_reference);

    [Fact]
    public void AddDetector_GoodSettings_Validates()
    {
        Assert.Equal(_reference, Options([]).ReferencePath);
    }

    [Theory]
    [InlineData("Detector:Permutations", "5")]
    [InlineData("Detector:Scan:NullWindows", "5")]
    [InlineData("Detector:EventCache", "-1")]
    [InlineData("Detector:Scan:PrepareWindowSize", "1")]
    [InlineData("Detector:Scan:Statistic", "7")]
    [InlineData("Detector:Online:InputTopic", " ")]
    [InlineData("Detector:Online:GroupId", "")]
    [InlineData("Detector:ReferencePath", "/nonexistent/reference.bin")]
    [InlineData("Detector:ReferenceSource", "redis")]
    [InlineData("Detector:Registry:PollInterval", "00:05:00")]
    [InlineData("Detector:Registry:CacheMegabytes", "0")]
    [InlineData("Detector:Registry:KeyPrefix", "{refs}")]
    [InlineData("Detector:Registry:UncalibratedLogInterval", "00:00:00")]
    public void AddDetector_BadSetting_FailsNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options(new() { [key] = value }));

        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void AddDetector_FileSourceWithoutReferencePath_FailsNamingTheKeyAndTheRegistry()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options(new() { ["Detector:Mode"] = "windows", ["Detector:ReferencePath"] = "", ["Redis:ConnectionString"] = "localhost:1" }));

        Assert.Contains("Detector:ReferencePath is required", ex.Message);
        Assert.Contains("Detector:ReferenceSource is registry", ex.Message);
    }

    [Fact]
    public void AddDetector_RegistrySourceWithoutReferencePath_Validates()
    {
        var options = Options(new() { ["Detector:Mode"] = "windows", ["Detector:ReferencePath"] = "", ["Detector:ReferenceSource"] = "registry", ["Redis:ConnectionString"] = "localhost:1" });

        Assert.True(options.UsesRegistry);
    }

    [Fact]
    public void AddDetector_RegistrySourceWithAMissingReferenceFile_ValidatesSinceNothingReadsIt()
    {
        // appsettings.json names the compose layout's file; a registry-mode Detector elsewhere must still start.
        var options = Options(new() { ["Detector:Mode"] = "windows", ["Detector:ReferencePath"] = "/nonexistent/reference.bin", ["Detector:ReferenceSource"] = "registry", ["Redis:ConnectionString"] = "localhost:1" });

        Assert.True(options.UsesRegistry);
    }

    [Fact]
    public void AddDetector_OnlineModeWithoutReferencePath_FailsEvenWithTheRegistry()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options(new() { ["Detector:Mode"] = "both", ["Detector:ReferencePath"] = "", ["Detector:ReferenceSource"] = "registry", ["Redis:ConnectionString"] = "localhost:1" }));

        Assert.Contains("Detector:ReferencePath is required by the online detector", ex.Message);
    }

    private DetectorOptions Options(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Detector:ReferencePath"] = _reference, ["Detector:Mode"] = "online" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDetector();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<DetectorOptions>>().Value;
    }
}
