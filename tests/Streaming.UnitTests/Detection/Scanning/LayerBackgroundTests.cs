using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

/// <summary>A background's counts are the counts by definition: every value at or above (below) the one asked, ties included.</summary>
public sealed class LayerBackgroundTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(1001)]
    public void CountAtLeastAndAtMost_EveryValueOfTheColumnAndBetween_CountsByDefinition(int count)
    {
        var random = new Random(count);
        const int Dimension = 3;
        // Values on a coarse grid, so a column holds many ties.
        var vectors = Enumerable.Range(0, count * Dimension).Select(_ => random.Next(-6, 7) * 0.5f).ToArray();
        var background = new LayerBackground("l", vectors, count, Dimension);

        for (int node = 0; node < Dimension; node++)
        {
            var column = Enumerable.Range(0, count).Select(i => vectors[i * Dimension + node]).ToArray();
            // Each grid value, the points between them, and values beyond either end.
            var asked = Enumerable.Range(-16, 33).Select(k => k * 0.25f).Append(float.NegativeInfinity).Append(float.PositiveInfinity).Append(float.MaxValue);
            foreach (float value in asked)
            {
                Assert.Equal(column.Count(v => v >= value), background.CountAtLeast(node, value));
                Assert.Equal(column.Count(v => v <= value), background.CountAtMost(node, value));
            }
        }
    }

    [Fact]
    public void CountAtLeast_NaN_CountsNothingBelowItSoEveryValue()
    {
        // No value compares below NaN, so none is passed over: the upper count is every value, as a search that
        // reads NaN as "not above" gives (the p-value 1: no evidence), and the lower count none.
        var background = new LayerBackground("l", [1f, 2f, 3f], 3, 1);

        Assert.Equal(3, background.CountAtLeast(0, float.NaN));
        Assert.Equal(0, background.CountAtMost(0, float.NaN));
    }
}
