using Streaming.Detection;
using Streaming.Detection.Scoring;

namespace Streaming.UnitTests.Detection.Scoring;

/// <summary>The tiled search finds what a plain search over every row finds, for each query whatever else is searched with it.</summary>
public sealed class NearestNeighboursTests
{
    [Theory]
    [InlineData(1, 50, 1, false)]
    [InlineData(10, 1000, 10, false)]
    [InlineData(33, 37, 37, false)]     // k = every row, two tiles of 16 and five rows after them
    [InlineData(128, 1003, 5, false)]
    [InlineData(1, 50, 1, true)]        // tiles of 512-bit registers
    [InlineData(10, 1000, 10, true)]
    [InlineData(33, 37, 37, true)]      // one tile of 32 and five rows after it
    [InlineData(128, 1003, 5, true)]
    public void Search_RandomQueries_SameRowsAsAPlainSearchDistancesWithinRounding(int dimension, int referenceCount, int k, bool wide)
    {
        var reference = Gaussian.Samples(referenceCount, dimension, 1);
        // Queries from the reference's population and shifted ones: neighbours near and far.
        var queries = Gaussian.Samples(9, dimension, 2).Concat(Gaussian.Samples(6, dimension, 3, shift: 2f)).ToArray();
        var distances = new double[queries.Length * k];
        var indices = new int[queries.Length * k];

        NearestNeighbours.Search(new RowTiles(Gaussian.Flatten(reference), referenceCount, dimension, wide), Gaussian.Flatten(queries), queries.Length, distances, indices);

        for (int q = 0; q < queries.Length; q++)
        {
            // Exact squared distances in double, ties by row.
            var expected = Enumerable.Range(0, referenceCount)
                .Select(r => (Row: r, Distance: reference[r].Zip(queries[q], (a, b) => (double)(a - b) * (a - b)).Sum()))
                .OrderBy(p => p.Distance).ThenBy(p => p.Row).Take(k).ToArray();
            for (int j = 0; j < k; j++)
            {
                Assert.True(Math.Abs(distances[q * k + j] - expected[j].Distance) <= 1e-5 * Math.Max(1, expected[j].Distance),
                    $"query {q}, neighbour {j}: {distances[q * k + j]} against {expected[j].Distance}");
                Assert.True(j == 0 || distances[q * k + j] >= distances[q * k + j - 1], $"query {q}: distances not ascending at {j}");
            }
            // Rounding may swap rows whose distances are nearly equal; none are in these Gaussian samples.
            Assert.Equal(expected.Select(p => p.Row), indices.Skip(q * k).Take(k));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Search_DuplicateRows_EarlierRowFirst(bool wide)
    {
        // Rows 2 and 5 equal the query, rows 0 and 7 are one further.
        float[][] rows = [[1, 0], [5, 5], [0, 0], [6, 6], [7, 7], [0, 0], [8, 8], [0, 1], [9, 9]];
        var distances = new double[3];
        var indices = new int[3];

        NearestNeighbours.Search(new RowTiles(Gaussian.Flatten(rows), rows.Length, 2, wide), [0f, 0f], 1, distances, indices);

        Assert.Equal([2, 5, 0], indices);
        Assert.Equal([0.0, 0.0, 1.0], distances);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Search_QueriesAloneAndTogether_SameNeighboursAndBits(bool wide)
    {
        var reference = new RowTiles(Gaussian.Flatten(Gaussian.Samples(500, 20, 7)), 500, 20, wide);
        var queries = Gaussian.Samples(13, 20, 8, shift: 0.5f);
        const int K = 4;
        var together = new double[queries.Length * K];
        var togetherRows = new int[queries.Length * K];
        NearestNeighbours.Search(reference, Gaussian.Flatten(queries), queries.Length, together, togetherRows);

        for (int q = 0; q < queries.Length; q++)
        {
            var alone = new double[K];
            var aloneRows = new int[K];
            NearestNeighbours.Search(reference, queries[q], 1, alone, aloneRows);
            Assert.Equal(togetherRows.Skip(q * K).Take(K), aloneRows);
            Assert.Equal(together.Skip(q * K).Take(K).Select(BitConverter.DoubleToInt64Bits), alone.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void Search_MoreNeighboursThanRows_Refused()
    {
        var reference = new RowTiles(new float[6], 3, 2);

        Assert.Throws<ArgumentException>(() => NearestNeighbours.Search(reference, new float[2], 1, new double[4], new int[4]));
    }
}
