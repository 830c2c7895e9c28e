using Streaming.Control.Workshop;
using Streaming.Detection;
using Streaming.Lab.Data;
using Streaming.Ml.Persistence;

namespace Streaming.UnitTests.Control.Workshop;

public sealed class CleanSampleTests
{
    [Fact]
    public void Draw_DefaultSample_TrafficIsTheRestOfTheSplitAndExcludesTheSample()
    {
        var sample = CleanSample.Draw(10_000);

        // The reference and calibration split are those `control calibrate` draws with its defaults.
        var (reference, calibration) = CalibrationSample.Draw(10_000, 1000, 4000, CalibrationSample.DefaultSeed);
        Assert.Equal(reference, sample.Reference);
        Assert.Equal(calibration, sample.Calibration);
        Assert.Equal(5000, sample.Traffic.Count);
        Assert.Empty(sample.Traffic.Intersect(sample.Reference));
        Assert.Empty(sample.Traffic.Intersect(sample.Calibration));
        Assert.Equal(Enumerable.Range(0, 10_000), sample.Traffic.Concat(sample.Reference).Concat(sample.Calibration).Order());
    }

    [Fact]
    public void Draw_OrderedSource_TrafficStartSpreadsOverBothHalves()
    {
        var sample = CleanSample.Draw(10_000);

        // The first traffic images (the demo's clean phase) are not one contiguous range of the split.
        var firstTwoThousand = sample.Traffic.Take(2000).ToList();
        Assert.InRange(firstTwoThousand.Count(i => i >= 5000), 860, 1140);
    }

    [Fact]
    public void TrafficImages_IndexedImages_CopiesTheTrafficImagesInOrderAndNoSampledOne()
    {
        var test = IndexedImages(300);
        var sample = CleanSample.Draw(test.Count, referenceCount: 100, calibrationCount: 50, seed: 5);

        var traffic = sample.TrafficImages(test, 120);

        Assert.Equal(120, traffic.Count);
        var sampled = sample.Reference.Concat(sample.Calibration).ToHashSet();
        for (var i = 0; i < traffic.Count; i++)
        {
            var image = ImageIndex(traffic, i);
            Assert.Equal(sample.Traffic[i], image);
            Assert.Equal(image % 10, traffic.Labels[i]);
            Assert.DoesNotContain(image, sampled);
        }
    }

    [Fact]
    public void TrafficImages_MoreThanTheRest_ThrowsNamingTheCounts()
    {
        var test = IndexedImages(300);
        var sample = CleanSample.Draw(test.Count, referenceCount: 100, calibrationCount: 50, seed: 5);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => sample.TrafficImages(test, 151));

        Assert.Contains("leave 150", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Holds_ReferenceOfThisSample_TrueAndOfAnotherSeedOrWithoutSplitFalse()
    {
        var sample = CleanSample.Draw(300, referenceCount: 20, calibrationCount: 10, seed: 5);
        var other = CleanSample.Draw(300, referenceCount: 20, calibrationCount: 10, seed: 6);
        var manifest = new ModelManifest("m", "v1", ImageDatasets.Mnist, 0.9, DateTimeOffset.UnixEpoch, []);

        Assert.True(sample.Holds(Reference(sample, "v1"), manifest));
        Assert.False(sample.Holds(Reference(other, "v1"), manifest));
        Assert.False(sample.Holds(Reference(sample, "v2"), manifest));
        Assert.False(sample.Holds(Reference(sample, "v1") with { Calibration = null }, manifest));
    }

    /// <summary>Images (at most 1,000) whose first pixel encodes their index (index / 1000) and whose label is index mod 10.</summary>
    private static MnistDataset IndexedImages(int count)
    {
        var pixels = new float[count * MnistDataset.PixelsPerImage];
        for (var i = 0; i < count; i++) pixels[i * MnistDataset.PixelsPerImage] = i / 1000f;
        return MnistDataset.FromArrays(pixels, [.. Enumerable.Range(0, count).Select(i => i % 10)]);
    }

    private static int ImageIndex(MnistDataset images, int i) =>
        (int)MathF.Round(images.Pixels[i * MnistDataset.PixelsPerImage] * 1000);

    private static ReferenceSet Reference(CleanSample sample, string version)
    {
        var random = new Random(1);
        float[][] Vectors(int n) => [.. Enumerable.Range(0, n).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble() })];
        return ReferenceCalibrator.Create("m", version,
            new Dictionary<string, float[][]> { ["fc"] = Vectors(sample.Reference.Count) }, new int[sample.Reference.Count],
            new Dictionary<string, float[][]> { ["fc"] = Vectors(sample.Calibration.Count) }, new int[sample.Calibration.Count],
            sample.Seed, sample.Source, TimeProvider.System);
    }
}
