namespace Streaming.Detection.Scanning;

/// <summary>
/// The items a scan step names: the given number with the largest counts, ties by lowest index, in ascending
/// index order — every item above the size-th largest count and, of those at it, the lowest indices. Found from
/// the counts' histogram in two passes; a sort of every item per step took an eighth of the ascent's time.
/// </summary>
internal static class MostCounted
{
    /// <param name="counts">Per item its count, each in [0, <paramref name="largest"/>].</param>
    /// <param name="size">How many items to name, in [1, number of items].</param>
    /// <param name="histogram">Scratch of at least <paramref name="largest"/> + 1 entries.</param>
    public static int[] Select(ReadOnlySpan<int> counts, int largest, int size, Span<int> histogram)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, counts.Length);
        histogram = histogram[..(largest + 1)];
        histogram.Clear();
        foreach (int count in counts)
        {
            histogram[count]++;
        }

        // The size-th largest count: every item above it is named, and the first `ties` items at it.
        int cut = largest, above = 0;
        while (above + histogram[cut] < size)
        {
            above += histogram[cut];
            cut--;
        }
        int ties = size - above;
        var subset = new int[size];
        int named = 0;
        for (int item = 0; named < size; item++)
        {
            int count = counts[item];
            if (count > cut || (count == cut && ties-- > 0))
            {
                subset[named++] = item;
            }
        }
        return subset;
    }
}
