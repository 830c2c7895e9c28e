using Streaming.Control.Hosting;
using Streaming.Control.RedTeam;
using Streaming.IntegrationTests.EndToEnd;

namespace Streaming.IntegrationTests.Control;

/// <summary>
/// The red team against a pipeline it did not start (--bootstrap / --url): here an embedded one the test starts,
/// reached only through its Kafka address and its inference URL.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class RedTeamRunningPipelineTests(TrainedModelFixture model)
{
    [Fact]
    public async Task Run_RunningPipeline_EveryWindowOfTheStrategyScored()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var settings = new PipelineSettings
        {
            ModelDirectory = model.Paths.DefaultModelDirectory,
            ReferencePath = model.EnsureReference(),
            Permutations = 200,
            LogDirectory = Path.Combine(model.Paths.Artifacts, "test-logs", "redteam-running"),
        };
        await using var pipeline = await EmbeddedPipeline.StartAsync(model.Paths, settings, cts.Token);
        var options = new RedTeamOptions
        {
            Strategies = ["mix:pgd"],
            Shares = [0.2],
            Images = 200,
            Target = new RedTeamTarget(pipeline.KafkaOptions.BootstrapServers, pipeline.InferenceUrl, ApiKey: null),
        };

        var report = await new RedTeamRunner(model.Paths, options, TimeProvider.System).RunAsync(cts.Token);

        var result = Assert.Single(report.Strategies);
        Assert.Equal(3, result.ExpectedStreamWindows);
        Assert.Equal(3, result.StreamWindows);
        Assert.Equal(result.Windows, result.AttackedWindows);
        Assert.Equal(40, result.AdversarialImages);
        Assert.Null(report.Settings.Permutations);
        Assert.Contains(pipeline.InferenceUrl.ToString(), report.Settings.Pipeline, StringComparison.Ordinal);
        pipeline.EnsureServicesAlive();
    }
}
