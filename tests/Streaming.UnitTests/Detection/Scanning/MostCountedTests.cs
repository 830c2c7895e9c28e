using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

public sealed class MostCountedTests
{
    [Fact]
    public void Select_ManyTiedCounts_LargestCountsThenLowestIndicesInIndexOrder()
    {
        // Counts from a few values, so the size-th largest is nearly always shared and the cut splits a tie.
        var random = new Random(5);
        var histogram = new int[20];
        for (int round = 0; round < 500; round++)
        {
            int items = 1 + random.Next(60), largest = 1 + random.Next(6);
            int[] counts = [.. Enumerable.Range(0, items).Select(_ => random.Next(largest + 1))];
            int size = 1 + random.Next(items);

            int[] expected = [.. Enumerable.Range(0, items).OrderByDescending(i => counts[i]).ThenBy(i => i).Take(size).Order()];

            Assert.Equal(expected, MostCounted.Select(counts, largest, size, histogram));
        }
    }

    [Fact]
    public void Select_EveryItem_NamesAll_NoneOrMoreThanThereAre_Refused()
    {
        var histogram = new int[4];
        Assert.Equal([0, 1, 2], MostCounted.Select([3, 0, 3], 3, 3, histogram));
        Assert.Throws<ArgumentOutOfRangeException>(() => MostCounted.Select([1, 2], 3, 0, histogram));
        Assert.Throws<ArgumentOutOfRangeException>(() => MostCounted.Select([1, 2], 3, 3, histogram));
    }
}
