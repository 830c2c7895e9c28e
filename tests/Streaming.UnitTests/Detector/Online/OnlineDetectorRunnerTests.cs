using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Streaming.Detection;
using Streaming.Detection.WindowTest;
using Streaming.Detector.Online;
using Streaming.UnitTests.Detection;

namespace Streaming.UnitTests.Detector.Online;

public sealed class OnlineDetectorRunnerTests : IDisposable
{
    private readonly string _reference = Path.Combine(Path.GetTempPath(), $"online-runner-{Guid.NewGuid():N}.ref");

    public OnlineDetectorRunnerTests()
    {
        ReferenceFile.Save(_reference, ReferenceCalibrator.Create("m", "v1",
            new Dictionary<string, float[][]> { ["a"] = Gaussian.Samples(100, 3, 1), ["b"] = Gaussian.Samples(100, 5, 2) }, TimeProvider.System));
    }

    public void Dispose() => File.Delete(_reference);

    private OnlineDetectorRunner Runner(OnlineDetectorOptions online) =>
        new(Options.Create(new DetectorOptions { ReferencePath = _reference, Device = "cpu", Online = online }), NullLogger<OnlineDetectorRunner>.Instance);

    [Theory]
    [InlineData(1, 100, 10_000, "Detector:Online:WindowSize")]
    [InlineData(60, 100, 10_000, "Detector:Online:WindowSize")]
    [InlineData(10, 0.5, 10_000, "Detector:Online:ExpectedRunTime")]
    [InlineData(10, 100, 999, "Detector:Online:Bootstraps")]
    public void Create_SettingTheCalibrationRefuses_FailsNamingTheKey(int window, double ert, int bootstraps, string key)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Runner(new OnlineDetectorOptions { WindowSize = window, ExpectedRunTime = ert, Bootstraps = bootstraps }));

        Assert.StartsWith(key + " is invalid", ex.Message);
    }

    [Fact]
    public void Create_GoodSettings_CalibratesEveryLayerOfTheReference()
    {
        var runner = Runner(new OnlineDetectorOptions { WindowSize = 5, ExpectedRunTime = 100, Bootstraps = 1_000 });

        Assert.Equal(["a", "b"], runner.Model.Layers.Select(l => l.Layer));
        Assert.All(runner.Model.Layers, l => Assert.Equal(5, l.Thresholds.Count));
    }
}
