using Streaming.Lab.Evaluation;
using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

public class ScanNullTests
{
    private static readonly int[] Dims = [30, 20];

    [Fact]
    public void PValue_CountsNullScoresAtLeastTheScore()
    {
        var scanNull = new ScanNull(10, [3.0, 1.0, 2.0]);

        Assert.Equal(3.0 / 4, scanNull.PValue(2.0));
        Assert.Equal(1.0 / 4, scanNull.PValue(3.5));
        Assert.Equal(1.0, scanNull.PValue(0.5));
        Assert.Equal([1.0, 2.0, 3.0], scanNull.Scores);
    }

    [Theory]
    // Higher Criticism's null is lumpy: single cells at the smallest threshold score exactly
    // √((1−α)/α)-like values, so many simulated windows tie (measured: 172 distinct scores of
    // 1,000, 71 of them equal). With ties, (1 + #{null ≥ s})/(n + 1) stays valid but becomes
    // conservative, so for it only "not above α" is asserted; Berk–Jones must sit at α.
    [InlineData(ScanStatistic.BerkJones, true)]
    [InlineData(ScanStatistic.HigherCriticism, false)]
    public void PValue_FreshCleanWindows_FalseRejectionRateWithinWilsonInterval(ScanStatistic statistic, bool exact)
    {
        // Background, held-out data and live windows are independent clean samples of one population.
        var options = new SubsetScanOptions { Statistic = statistic, Restarts = 2 };
        var scanner = ScanData.Scanner(500, Dims, seed: 31, options);
        var heldOut = ScanData.Window(1000, Dims, seed: 32);
        var scanNull = ScanNull.Build(scanner, heldOut, windowSize: 40, new ScanNullOptions { Windows = 1000, Seed = 5 });

        var pValues = Enumerable.Range(0, 500)
            .Select(w => scanNull.PValue(scanner.Scan(ScanData.Window(40, Dims, seed: 1000 + w)).Score))
            .ToArray();

        foreach (double alpha in new[] { 0.05, 0.2, 0.5 })
        {
            int rejected = pValues.Count(p => p <= alpha);
            // 99 %: the null's own estimation noise (1,000 simulated windows) adds to the binomial noise.
            var (lower, upper) = WilsonInterval.Compute(rejected, pValues.Length, z: 2.576);
            string message = $"{statistic}: {rejected}/{pValues.Length} at or below {alpha}, interval [{lower:F3}, {upper:F3}]";
            Assert.True(lower <= alpha, message);
            Assert.True(!exact || alpha <= upper, message);
        }
    }

    [Fact]
    public void Build_SameSeed_SameScoresWhateverTheParallelism()
    {
        var scanner = ScanData.Scanner(200, Dims, seed: 33);
        var heldOut = ScanData.Window(100, Dims, seed: 34);

        var serial = ScanNull.Build(scanner, heldOut, 20, new ScanNullOptions { Windows = 30, Seed = 3 });
        var parallel = ScanNull.Build(scanner, heldOut, 20, new ScanNullOptions { Windows = 30, Seed = 3, MaxDegreeOfParallelism = 4 });

        Assert.Equal(serial.Scores, parallel.Scores);
    }

    [Fact]
    public void Build_WindowLargerThanHeldOut_NamesBothSizes()
    {
        var scanner = ScanData.Scanner(100, Dims, seed: 35);
        var heldOut = ScanData.Window(30, Dims, seed: 36);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ScanNull.Build(scanner, heldOut, 31));

        Assert.Contains("30 held-out inputs", error.Message);
    }

    [Fact]
    public void Cache_NewSizes_BuiltOnceAndLeastRecentlyUsedEvicted()
    {
        var scanner = ScanData.Scanner(100, Dims, seed: 37);
        var cache = new ScanNullCache(scanner, ScanData.Window(60, Dims, seed: 38), new ScanNullOptions { Windows = 10 }, capacity: 2);

        var ten = cache.For(10);
        cache.For(20);
        Assert.Same(ten, cache.For(10));    // held: same instance, and now the most recent
        cache.For(30);                        // evicts 20, the least recently used

        Assert.Equal([30, 10], cache.Sizes);
        Assert.Equal(20, cache.For(20).WindowSize);
        Assert.Equal([20, 30], cache.Sizes);
    }

    [Fact]
    public void ScanWithPValue_UsesTheNullOfTheWindowsSize()
    {
        var scanner = ScanData.Scanner(100, Dims, seed: 39);
        var cache = new ScanNullCache(scanner, ScanData.Window(60, Dims, seed: 40), new ScanNullOptions { Windows = 20 });
        var window = ScanData.Window(15, Dims, seed: 41);

        var (result, pValue) = cache.ScanWithPValue(window);

        Assert.Equal(cache.For(15).PValue(result.Score), pValue);
        Assert.Equal([15], cache.Sizes);
    }
}
