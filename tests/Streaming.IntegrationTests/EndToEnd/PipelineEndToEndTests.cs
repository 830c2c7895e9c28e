using Streaming.Control.Demo;
using Streaming.LocalStack;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The whole pipeline with real processes: embedded Kafka, redis-server, the four services, a
/// webhook receiver; clean MNIST traffic and FGSM traffic through the HTTP endpoint. Trains the
/// model once when .artifacts/ has none (about a minute on 2 cores).
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class PipelineEndToEndTests
{
    [Fact]
    public async Task Demo_CleanThenFgsm_AttackWindowsAlertAndCleanWindowsMostlyDoNot()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var options = new DemoOptions { CleanImages = 600, AttackImages = 600, ReferenceSize = 1000, Permutations = 300 };

        var report = await new DemoRunner(RepoPaths.Discover(), options).RunAsync(cts.Token);

        var expected = options.ExpectedWindows(600);
        Assert.Equal(expected, report.Clean.Windows);
        Assert.Equal(expected, report.Attack.Windows);
        // FGSM eps 0.3 shifts the deep layers far from the clean reference: nearly every window fails.
        Assert.True(report.Attack.Alerts >= expected - 1, $"attack alerts {report.Attack.Alerts} of {expected}");
        // Clean windows fail at about alpha (5%, Bonferroni over 4 layers is conservative); 3 of 11 would be far above it.
        Assert.True(report.Clean.Alerts <= 2, $"clean alerts {report.Clean.Alerts} of {expected}");
        // The model-wide windows run over both phases (600 + 600 images, same size and slide).
        Assert.Equal(options.ExpectedWindows(1200), report.ModelWide.Windows);
        Assert.Equal(report.Clean.Alerts + report.Attack.Alerts + report.ModelWide.Alerts, report.Webhooks.Received);
        Assert.Equal(report.Webhooks.Received, report.LatencyMs.Samples);
        Assert.InRange(report.LatencyMs.P50, 0, 30_000);
        Assert.True(report.LatencyMs.P99 >= report.LatencyMs.P50);
    }
}
