using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public sealed class CalibrationSampleTests
{
    [Fact]
    public void Draw_SameSeed_SameDisjointSample()
    {
        var first = CalibrationSample.Draw(10_000, 1000, 1000, seed: 3);
        var second = CalibrationSample.Draw(10_000, 1000, 1000, seed: 3);

        Assert.Equal(first.Reference, second.Reference);
        Assert.Equal(first.Calibration, second.Calibration);
        Assert.Empty(first.Reference.Intersect(first.Calibration));
        Assert.Equal(2000, first.Reference.Concat(first.Calibration).Distinct().Count());
    }

    [Fact]
    public void Draw_OrderedSource_SpreadsOverTheWholeSource()
    {
        var (reference, calibration) = CalibrationSample.Draw(10_000, 1000, 1000, seed: 1);

        // A representative sample, not the first items: each half of the source gets about half.
        int secondHalf = reference.Count(i => i >= 5000);
        Assert.InRange(secondHalf, 430, 570);
        Assert.InRange(calibration.Count(i => i >= 5000), 430, 570);
        Assert.NotEqual(Enumerable.Range(0, 1000), reference.Order());
    }

    [Fact]
    public void Remainder_SameSeed_EveryOtherItemInShuffledOrder()
    {
        var (reference, calibration) = CalibrationSample.Draw(10_000, 1000, 1000, seed: 3);

        var rest = CalibrationSample.Remainder(10_000, 1000, 1000, seed: 3);

        Assert.Equal(8000, rest.Length);
        Assert.Empty(rest.Intersect(reference.Concat(calibration)));
        Assert.Equal(Enumerable.Range(0, 10_000), rest.Concat(reference).Concat(calibration).Order());
        Assert.InRange(rest.Take(1000).Count(i => i >= 5000), 430, 570);
    }

    [Fact]
    public void Draw_OtherSeed_OtherSample()
    {
        var first = CalibrationSample.Draw(10_000, 100, 100, seed: 1);
        var second = CalibrationSample.Draw(10_000, 100, 100, seed: 2);

        Assert.NotEqual(first.Reference, second.Reference);
    }

    [Fact]
    public void Draw_MoreThanTheSourceHolds_ThrowsWithCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => CalibrationSample.Draw(1500, 1000, 1000, seed: 1));

        Assert.Contains("2000", error.Message);
        Assert.Contains("1500", error.Message);
    }
}
