using Microsoft.Extensions.Time.Testing;
using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public class ReferenceCalibratorTests
{
    [Fact]
    public void Create_SmallReference_BandwidthIsMedianPairwiseDistance()
    {
        // Points on a line at 0, 1, 3, 7: distances 1,3,7,2,6,4 → median (3+4)/2.
        float[][] vectors = [[0f], [1f], [3f], [7f]];
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

        var set = ReferenceCalibrator.Create("m", "1", new Dictionary<string, float[][]> { ["fc"] = vectors }, time);

        var layer = Assert.Single(set.Layers);
        Assert.Equal(3.5, layer.Bandwidth, 12);
        Assert.Equal(time.GetUtcNow(), set.CreatedAt);
        Assert.Equal(("m", "1", "fc", 4, 1), (set.Model, set.ModelVersion, layer.Layer, layer.Count, layer.Dimension));
        Assert.Equal([0f, 1f, 3f, 7f], layer.Vectors);
    }

    [Fact]
    public void Create_RandomData_MatchesNaiveMedianInTwoDimensions()
    {
        var vectors = Gaussian.Samples(41, 2, 3);
        var distances = new List<double>();
        for (int i = 0; i < vectors.Length; i++)
        {
            for (int j = i + 1; j < vectors.Length; j++)
            {
                distances.Add(Math.Sqrt(Math.Pow(vectors[i][0] - vectors[j][0], 2) + Math.Pow(vectors[i][1] - vectors[j][1], 2)));
            }
        }
        distances.Sort();
        double expected = distances.Count % 2 == 1
            ? distances[distances.Count / 2]
            : (distances[distances.Count / 2 - 1] + distances[distances.Count / 2]) / 2;

        var set = ReferenceCalibrator.Create("m", "1", new Dictionary<string, float[][]> { ["a"] = vectors }, TimeProvider.System);

        Assert.Equal(expected, set.Layers[0].Bandwidth, 1e-5);
    }

    [Fact]
    public void Bandwidth_LargeReference_IsSubsampledReproduciblyAndCloseToTheFullMedian()
    {
        var vectors = Gaussian.Flatten(Gaussian.Samples(1500, 4, 9));

        double subsampled = MedianHeuristic.Bandwidth(vectors, 1500, 4);
        double again = MedianHeuristic.Bandwidth(vectors, 1500, 4);
        double full = MedianHeuristic.Bandwidth(vectors, 1500, 4, maxPoints: 1500);

        Assert.Equal(subsampled, again);
        Assert.NotEqual(full, subsampled);
        Assert.Equal(full, subsampled, full * 0.03);
    }

    [Fact]
    public void Bandwidth_MostlyIdenticalVectors_FallsBackToNonZeroDistances()
    {
        float[] vectors = [0f, 0f, 0f, 0f, 0f, 2f];

        Assert.Equal(2.0, MedianHeuristic.Bandwidth(vectors, 6, 1), 12);
    }

    [Fact]
    public void Create_AllIdenticalVectors_Throws()
    {
        float[][] vectors = [[1f, 1f], [1f, 1f], [1f, 1f]];

        var error = Assert.Throws<ArgumentException>(() =>
            ReferenceCalibrator.Create("m", "1", new Dictionary<string, float[][]> { ["a"] = vectors }, TimeProvider.System));

        Assert.Contains("identical", error.Message);
    }

    [Fact]
    public void Create_RaggedVectors_ThrowsNamingLayer()
    {
        float[][] vectors = [[1f, 2f], [1f], [3f, 4f]];

        var error = Assert.Throws<ArgumentException>(() =>
            ReferenceCalibrator.Create("m", "1", new Dictionary<string, float[][]> { ["conv2"] = vectors }, TimeProvider.System));

        Assert.Contains("conv2", error.Message);
        Assert.Contains("vector 1", error.Message);
    }

    [Fact]
    public void Create_SingleVector_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            ReferenceCalibrator.Create("m", "1", new Dictionary<string, float[][]> { ["a"] = [[1f]] }, TimeProvider.System));
    }
}
