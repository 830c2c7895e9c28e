using Streaming.Control.LoadTest;
using Streaming.Detection;

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
        Assert.Equal(320, report.Sent);
        Assert.InRange(report.AchievedRate, 40 * 0.85, 40 * 1.15);
        var phase = Assert.Single(report.Phases);
        Assert.Equal(5, phase.Windows);
        Assert.True(report.SendLatencyMs.Samples == 32);
        Assert.Equal(["Alerting", "Detector", "Inference", "Windowing"], report.MaxRssMb.Keys.Order());
        Assert.All(report.MaxRssMb.Values, rss => Assert.True(rss > 10));
    }

    [Fact]
    public async Task Run_EventsSourceShortPhase_EventsAreWindowedTestedAndReported()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var options = new LoadTestOptions
        {
            Source = LoadSource.Events,
            Transport = EventTransport.Kafka,
            Phases = [new LoadPhase("events", TimeSpan.FromSeconds(5), 0, 100)],
            Permutations = 200,
        };

        var report = await new LoadTestRunner(model.Paths, options).RunAsync(cts.Token);

        Assert.Equal(LoadSource.Events, report.Source);
        Assert.Equal(0, report.Errors);
        Assert.Equal(500, report.Sent);
        Assert.True(report.AchievedRate > 0);
        var phase = Assert.Single(report.Phases);
        // 500 events of one stream in windows of 100 sliding by 50: 9 windows, each tested once.
        Assert.Equal(9, phase.Windows);
        Assert.True(phase.ProcessedRate > 0, $"processed {phase.ProcessedRate}/s");
        Assert.True(phase.DetectionLatencyP50Ms > 0 && phase.DetectionLatencyP99Ms >= phase.DetectionLatencyP50Ms, $"p50 {phase.DetectionLatencyP50Ms}, p99 {phase.DetectionLatencyP99Ms}");
        Assert.True(report.SustainedRate > 0);
        Assert.NotNull(report.KafkaCeilingConsumePerSecond);
        Assert.Equal(report.SustainedRate / report.KafkaCeilingConsumePerSecond!.Value, report.SustainedToKafkaConsumeRatio!.Value, 9);
        // Every reference layer's floats (4 bytes each) plus header, ids and attributes.
        var floats = ReferenceFile.Load(model.Paths.DefaultReferencePath).Layers.Sum(l => l.Dimension);
        Assert.InRange(report.MeanEventBytes!.Value, 4 * floats, 4 * floats + 400);
        Assert.Equal(["Alerting", "Detector", "Inference", "Windowing"], report.MaxRssMb.Keys.Order());
    }

    [Fact]
    public async Task Run_EventsOverTwoStreams_EachStreamWindowedAndThePhaseSumsThem()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var options = new LoadTestOptions
        {
            Source = LoadSource.Events,
            Transport = EventTransport.Kafka,
            Phases = [new LoadPhase("spread", TimeSpan.FromSeconds(8), 0, 100)],
            Streams = 2,
            Permutations = 200,
            MeasureKafkaCeiling = false,
        };

        var report = await new LoadTestRunner(model.Paths, options).RunAsync(cts.Token);

        Assert.Equal(0, report.Errors);
        Assert.Equal(800, report.Sent);
        var phase = Assert.Single(report.Phases);
        // Requests of 10 events alternate between the two streams: 400 events each, 7 windows each
        // (one stream of 800 would have given 15).
        Assert.Equal(14, phase.Windows);
        Assert.True(phase.ProcessedRate > 0, $"processed {phase.ProcessedRate}/s");
    }
}
