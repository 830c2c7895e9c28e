namespace Streaming.UnitTests.Detection;

/// <summary>Checks that a per-event computation gives each event the same bits whatever else it is computed with.</summary>
internal static class EventBits
{
    /// <summary>
    /// Computes all <paramref name="events"/> events together, then random picks of each count (repeats
    /// allowed, any order), and asserts every picked event's result equals its result in the whole set bit for bit.
    /// </summary>
    /// <param name="compute">Results of the events at the given indices, in that order.</param>
    public static void AssertSameInAnyPick(int events, IEnumerable<int> counts, Func<int[], float[]> compute)
    {
        var random = new Random(5);
        var all = compute([.. Enumerable.Range(0, events)]);
        foreach (int count in counts)
        {
            int[] pick = [.. Enumerable.Range(0, count).Select(_ => random.Next(events))];
            var sub = compute(pick);
            for (int k = 0; k < count; k++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(all[pick[k]]) == BitConverter.SingleToInt32Bits(sub[k]),
                    $"event {pick[k]} at {k} of {count}: {sub[k]:R}, in the whole set {all[pick[k]]:R}");
            }
        }
    }
}
