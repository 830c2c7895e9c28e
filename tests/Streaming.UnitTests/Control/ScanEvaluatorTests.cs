using Streaming.Control.Evaluation;
using Streaming.Detection.Scanning;
using Streaming.Lab.Data;
using Streaming.Ml.Models;

namespace Streaming.UnitTests.Control;

public class ScanEvaluatorTests
{
    [Fact]
    public void Run_UntrainedModelsTinySizes_ReportsEveryLayerAndAttackWithAucs()
    {
        // Untrained models and noise images: this checks the plumbing (capture, attack, individual and
        // group scans, report), not detection quality, which needs the trained Fashion-MNIST models.
        var random = new Random(5);
        const int images = 50;
        var pixels = new float[images * MnistDataset.PixelsPerImage];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (float)random.NextDouble();
        var data = MnistDataset.FromArrays(pixels, [.. Enumerable.Range(0, images).Select(i => i % 10)]);
        var options = new ScanEvaluationOptions
        {
            Background = 30, Evaluated = 20, GroupSize = 8, Groups = 3, Shares = [0.5],
            Attacks = [("fgsm", 0.3), ("bim", 0.1)], Scan = new SubsetScanOptions { Restarts = 1 },
        };
        using var classifier = SmallCnn.Create(1);
        using var autoencoder = ConvAutoencoder.Create(2);
        var log = new StringWriter();

        var results = new ScanEvaluator(options, log).Run(classifier, autoencoder, ConvAutoencoder.LayerNames, data, CancellationToken.None);

        Assert.Equal(ConvAutoencoder.LayerNames.Count * 2, results.Count);
        Assert.Equal(16 * 14 * 14, results.First(r => r.Layer == "encoder1").Nodes);
        Assert.Equal(1, results.First(r => r.Layer == "recon_error").Nodes);
        Assert.All(results, r =>
        {
            Assert.InRange(r.IndividualAuc, 0, 1);
            Assert.InRange(Assert.Single(r.GroupAucs).Auc, 0, 1);
        });
        string folder = Path.Combine(Path.GetTempPath(), $"scan-eval-{Guid.NewGuid():N}");
        try
        {
            string report = ScanEvaluationReport.Write(folder, results, options, TimeSpan.FromSeconds(1));
            Assert.Contains(ScanEvaluationReport.Published, report);
            Assert.Contains("| bim 0.1 | encoder1 | 3136 |", report);
            Assert.True(File.Exists(Path.Combine(folder, "report.md")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
