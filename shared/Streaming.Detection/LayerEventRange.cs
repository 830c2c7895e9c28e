namespace Streaming.Detection;

/// <summary>Events [Start, Start + Count) of one layer of a batch's new events: one item of <see cref="HostWork"/>.</summary>
internal readonly record struct LayerEventRange(int Layer, int Start, int Count)
{
    /// <summary>Items per thread: a thread held up elsewhere (the machine is shared with the pipeline) delays the call by one small item, not by a whole share.</summary>
    private const int ItemsPerThread = 4;

    /// <summary>Events per item are a multiple of this: the tiles take six events at a time (<see cref="RowTiles"/>).</summary>
    private const int EventGroup = 6;

    /// <summary>
    /// Splits <paramref name="events"/> events of every layer into ranges of about equal cost (an event of layer i
    /// costs <paramref name="costPerEvent"/>[i], its reference rows × dimension); one range per layer on one thread.
    /// </summary>
    public static List<LayerEventRange> Split(IReadOnlyList<long> costPerEvent, int events, int threads)
    {
        ArgumentNullException.ThrowIfNull(costPerEvent);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var ranges = new List<LayerEventRange>();
        if (events == 0)
        {
            return ranges;
        }
        double total = costPerEvent.Sum(c => (double)c) * events;
        double perItem = total / (threads == 1 ? 1 : threads * ItemsPerThread);
        int groups = (events + EventGroup - 1) / EventGroup;
        for (int layer = 0; layer < costPerEvent.Count; layer++)
        {
            int pieces = threads == 1 || !(perItem > 0) ? 1 : (int)Math.Clamp(Math.Round(costPerEvent[layer] * (double)events / perItem), 1, groups);
            int size = (groups + pieces - 1) / pieces * EventGroup;
            for (int start = 0; start < events; start += size)
            {
                ranges.Add(new LayerEventRange(layer, start, Math.Min(size, events - start)));
            }
        }
        return ranges;
    }
}
