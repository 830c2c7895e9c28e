using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

/// <summary>The count values present, largest first, down to the lowest asked, across the bit set's words.</summary>
public sealed class PresentCountsTests
{
    [Theory]
    [InlineData(new int[0], 1, new int[0])]
    [InlineData(new[] { 0 }, 1, new int[0])]
    [InlineData(new[] { 0, 1, 5 }, 1, new[] { 5, 1 })]
    [InlineData(new[] { 3, 63, 64, 65, 127, 128, 200 }, 1, new[] { 200, 128, 127, 65, 64, 63, 3 })]
    [InlineData(new[] { 3, 63, 64, 65, 127, 128, 200 }, 64, new[] { 200, 128, 127, 65, 64 })]
    [InlineData(new[] { 2, 234 }, 235, new int[0])]
    public void Next_ValuesInABitSet_LargestFirstDownToTheLowest(int[] values, int lowest, int[] expected)
    {
        var present = new ulong[234 / 64 + 1];
        foreach (int value in values)
        {
            present[value >> 6] |= 1UL << value;
        }

        var visited = new List<int>();
        for (var counts = new PresentCounts(present); counts.Next(lowest, out int value);)
        {
            visited.Add(value);
        }

        Assert.Equal(expected, visited);
    }
}
