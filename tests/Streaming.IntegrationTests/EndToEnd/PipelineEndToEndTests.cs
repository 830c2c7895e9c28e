using Streaming.Control.Demo;
using Streaming.LocalStack;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The whole pipeline with real processes, as the demo runs it: embedded Kafka, redis-server, two
/// Inference instances (small-cnn on MNIST, resnet-small on Fashion-MNIST), Windowing, one Detector
/// serving both models' references from the registry, Alerting and a webhook receiver; per model
/// clean traffic and FGSM traffic through its HTTP endpoint. The models are trained once when
/// .artifacts/ has none (small-cnn about a minute on 2 cores, resnet-small 2-3 minutes).
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class PipelineEndToEndTests(FashionModelFixture fashion) : IClassFixture<FashionModelFixture>
{
    [Fact]
    public async Task Demo_TwoModelsCleanThenFgsm_EachModelsAttackWindowsAlertAndCleanWindowsMostlyDoNot()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var options = new DemoOptions { CleanImages = 600, AttackImages = 600, ReferenceSize = 1000, Permutations = 300 };

        var report = await new DemoRunner(RepoPaths.Discover(), options).RunAsync(cts.Token);

        var expected = options.ExpectedWindows(600);
        Assert.Equal(["small-cnn", "resnet-small"], report.Models.Select(m => m.Model));
        Assert.Equal((fashion.Manifest.Version, "fashion-mnist"), (report.Models[1].Version, report.Models[1].Dataset));
        // The top-level phases stay the first model's, as when the demo ran one model.
        Assert.Equal((report.Models[0].Clean, report.Models[0].Attack, report.Models[0].ModelWide), (report.Clean, report.Attack, report.ModelWide));
        foreach (var model in report.Models)
        {
            Assert.Equal(expected, model.Clean.Windows);
            Assert.Equal(expected, model.Attack.Windows);
            // FGSM eps 0.3 shifts the deep layers far from the clean reference: nearly every window fails.
            Assert.True(model.Attack.Alerts >= expected - 1, $"{model.Model}: attack alerts {model.Attack.Alerts} of {expected}");
            // Clean windows fail at about alpha (5%, Bonferroni over the layers is conservative); 3 of 11 would be far above it.
            Assert.True(model.Clean.Alerts <= 2, $"{model.Model}: clean alerts {model.Clean.Alerts} of {expected}");
            // The model-wide windows run over both phases (600 + 600 images, same size and slide).
            Assert.Equal(options.ExpectedWindows(1200), model.ModelWide.Windows);
            // Every window of the model was tested against its own reference in the registry.
            Assert.StartsWith($"{model.Model}/{model.Version}/", Assert.Single(model.ReferenceIds), StringComparison.Ordinal);
        }
        Assert.Equal(report.Models.Sum(m => m.Clean.Alerts + m.Attack.Alerts + m.ModelWide.Alerts), report.Webhooks.Received);
        Assert.Equal(report.Webhooks.Received, report.LatencyMs.Samples);
        Assert.InRange(report.LatencyMs.P50, 0, 30_000);
        Assert.True(report.LatencyMs.P99 >= report.LatencyMs.P50);
    }
}
