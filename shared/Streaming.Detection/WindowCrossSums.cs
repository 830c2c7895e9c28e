using Streaming.Detection.Decision;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// The cross-kernel sums of every event of a group of windows (same size m), per layer as B×m:
/// taken from the <see cref="CrossSumCache"/> for events it holds (same key, same vectors), the
/// rest computed once each (an event in several windows of the group too) by
/// <see cref="ObservedLayerStatistics.EventCrossSums"/> (tensors) or <see cref="HostCrossSums"/> (managed, for a
/// reference on the CPU), each of which gives every event the same bits wherever it is computed, so a
/// window's statistic is the same with the cache as without (a tester uses one of the two throughout).
/// </summary>
internal static class WindowCrossSums
{
    /// <param name="eventKeys">Per window of <paramref name="windows"/>, its events' keys (null: an event without id, never cached); null: no keys.</param>
    /// <param name="cache">Null: every event of every window is computed.</param>
    /// <returns>Per layer, B×m float32 on the layer's device.</returns>
    public static Tensor[] Compute(DeviceReference[] layers, IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows, int[] members, int m,
        IReadOnlyList<IReadOnlyList<EventKey?>?>? eventKeys, CrossSumCache? cache)
    {
        var sums = ComputeOnHost(layers, windows, members, m, eventKeys, cache);
        return [.. layers.Select((layer, i) => torch.tensor(sums[i], [members.Length, m], ScalarType.Float32, layer.Device))];
    }

    /// <param name="onHost">Per layer, its reference for managed code; null: the sums are computed with tensors on the layer's device.</param>
    /// <param name="threads">Threads the managed code may use (<see cref="HostWork"/>); the sums are the same bits with any.</param>
    /// <returns>Per layer, row-major B×m float32 on the host.</returns>
    public static float[][] ComputeOnHost(DeviceReference[] layers, IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows, int[] members, int m,
        IReadOnlyList<IReadOnlyList<EventKey?>?>? eventKeys, CrossSumCache? cache, HostCrossSums[]? onHost = null, int threads = 1)
    {
        int slots = members.Length * m;
        var sums = new float[layers.Length][];
        for (int i = 0; i < layers.Length; i++)
        {
            sums[i] = new float[slots];
        }

        // Each slot (window b, event j) is filled from the cache now or from computed event source[slot] below.
        var source = new int[slots];
        var computed = new List<(EventKey? Key, float[][] Vectors)>();
        var inGroup = new Dictionary<EventKey, int>();
        for (int b = 0; b < members.Length; b++)
        {
            var window = windows[members[b]];
            var keys = eventKeys?[members[b]];
            for (int j = 0; j < m; j++)
            {
                int slot = b * m + j;
                float[][] vectors = [.. layers.Select(l => window[l.Layer][j])];
                EventKey? key = cache is not null && keys is not null ? keys[j] : null;
                if (key is { } k)
                {
                    if (inGroup.TryGetValue(k, out int earlier) && BitIdentical.Vectors(computed[earlier].Vectors, vectors))
                    {
                        source[slot] = earlier;
                        cache!.CountReuse();
                        continue;
                    }
                    if (cache!.Find(k, vectors) is { } known)
                    {
                        for (int i = 0; i < layers.Length; i++)
                        {
                            sums[i][slot] = known[i];
                        }
                        source[slot] = -1;
                        continue;
                    }
                    inGroup[k] = computed.Count;
                }
                source[slot] = computed.Count;
                computed.Add((key, vectors));
            }
        }

        if (computed.Count > 0)
        {
            var events = computed.Select(c => c.Vectors).ToList();
            float[] host = onHost is null ? WithTensors(layers, events) : InManagedCode(onHost, events, threads);   // layer-major: L×U
            for (int slot = 0; slot < slots; slot++)
            {
                if (source[slot] >= 0)
                {
                    for (int i = 0; i < layers.Length; i++)
                    {
                        sums[i][slot] = host[i * computed.Count + source[slot]];
                    }
                }
            }
            for (int u = 0; u < computed.Count; u++)
            {
                if (computed[u].Key is { } key)
                {
                    cache!.Add(key, computed[u].Vectors, [.. Enumerable.Range(0, layers.Length).Select(i => host[i * computed.Count + u])]);
                }
            }
        }

        return sums;
    }

    /// <returns>Layer-major L×U sums of the events (per event, its vector per layer).</returns>
    private static float[] WithTensors(DeviceReference[] layers, List<float[][]> events)
    {
        using var scope = torch.NewDisposeScope();
        var perLayer = new Tensor[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            perLayer[i] = ObservedLayerStatistics.EventCrossSums(layers[i], [.. events.Select(e => e[i])]);
        }
        return TensorTransfer.Download(torch.cat(perLayer, 0));
    }

    /// <returns>Layer-major L×U sums of the events (per event, its vector per layer).</returns>
    private static float[] InManagedCode(HostCrossSums[] layers, List<float[][]> events, int threads)
    {
        int count = events.Count;
        var host = new float[layers.Length * count];
        // Rented: a batch's new events of one layer are often past the large object heap's threshold.
        using var rows = new RentedArrays(layers.Length);
        for (int i = 0; i < layers.Length; i++)
        {
            int d = layers[i].Dimension;
            var layerRows = rows.Rent(i, count * d);
            for (int u = 0; u < count; u++)
            {
                events[u][i].CopyTo(layerRows, u * d);
            }
        }
        // Every event's sum is the same bits in any range (HostCrossSums), so the ranges may run on any thread.
        var ranges = LayerEventRange.Split([.. layers.Select(l => (long)l.Count * l.Dimension)], count, threads);
        HostWork.Run(ranges.Count, threads, r =>
        {
            var (i, start, length) = ranges[r];
            int d = layers[i].Dimension;
            layers[i].Compute(rows[i].AsSpan(start * d, length * d), host.AsSpan(i * count + start, length));
        });
        return host;
    }
}
