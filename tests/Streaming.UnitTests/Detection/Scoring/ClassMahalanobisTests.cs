using Streaming.Detection.Scoring;

namespace Streaming.UnitTests.Detection.Scoring;

/// <summary>The class distances of many vectors at once are each vector's own, bit for bit, whatever else is computed with it.</summary>
public sealed class ClassMahalanobisTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 5)]
    [InlineData(10, 4)]
    [InlineData(33, 11)]     // two groups of four and three alone
    [InlineData(128, 9)]
    public void DistancesMany_AnyCountAndClasses_SameBitsAsEachVectorAlone(int dimension, int count)
    {
        const int Classes = 5;
        var reference = Gaussian.Samples(300, dimension, 1);
        // Class 3 never occurs in the reference: an unseen predicted class falls back to the nearest.
        var labels = Enumerable.Range(0, reference.Length).Select(i => i % Classes == 3 ? 4 : i % Classes).ToArray();
        var model = new ClassMahalanobis(Gaussian.Flatten(reference), reference.Length, dimension, labels);
        var vectors = Gaussian.Samples(count, dimension, 2, shift: 0.5f);
        int?[] classes = [.. Enumerable.Range(0, count).Select(e => e % 4 == 0 ? (int?)null : e % 4 == 1 ? 3 : e % 4 == 2 ? 7 : e % Classes)];
        var predicted = new double[count];
        var nearest = new double[count];

        model.DistancesMany(count == 0 ? [] : Gaussian.Flatten(vectors), classes, predicted, nearest);

        for (int e = 0; e < count; e++)
        {
            var (alonePredicted, aloneNearest) = model.Distances(vectors[e], classes[e]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(alonePredicted), BitConverter.DoubleToInt64Bits(predicted[e]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(aloneNearest), BitConverter.DoubleToInt64Bits(nearest[e]));
        }
    }

    [Fact]
    public void DistancesMany_PredictedClassSeen_ItsOwnDistanceNotTheNearest()
    {
        var reference = Gaussian.Samples(200, 4, 3);
        var labels = Enumerable.Range(0, 200).Select(i => i % 2).ToArray();
        var model = new ClassMahalanobis(Gaussian.Flatten(reference), 200, 4, labels);
        var vectors = Gaussian.Samples(4, 4, 4);
        var predicted = new double[4];
        var nearest = new double[4];

        model.DistancesMany(Gaussian.Flatten(vectors), [0, 1, 0, 1], predicted, nearest);

        // For each vector one of the two classes is not the nearest: its predicted distance is larger there.
        Assert.Contains(Enumerable.Range(0, 4), e => predicted[e] > nearest[e]);
        Assert.All(Enumerable.Range(0, 4), e => Assert.True(predicted[e] >= nearest[e]));
    }
}
