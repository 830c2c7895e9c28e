using Streaming.Control.LoadTest;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>A short open-loop run against the embedded pipeline: the offered rate is achieved and every part reports.</summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class LoadTestRunTests(TrainedModelFixture model)
{
    [Fact]
    public async Task Run_ShortSteadyPhase_AchievesTargetRateWithinTolerance()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var options = new LoadTestOptions
        {
            Phases = [new LoadPhase("steady", TimeSpan.FromSeconds(8), 0, 40)],
            MeasureKafkaCeiling = false,
            Permutations = 200,
        };

        var report = await new LoadTestRunner(model.Paths, options).RunAsync(cts.Token);

        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.SkippedRequests);
        Assert.Equal(320, report.ImagesSent);
        Assert.InRange(report.AchievedRate, 40 * 0.85, 40 * 1.15);
        var phase = Assert.Single(report.Phases);
        Assert.Equal(5, phase.Windows);
        Assert.True(report.InferenceLatencyMs.Samples == 32);
        Assert.Equal(["Alerting", "Detector", "Inference", "Windowing"], report.MaxRssMb.Keys.Order());
        Assert.All(report.MaxRssMb.Values, rss => Assert.True(rss > 10));
    }
}
