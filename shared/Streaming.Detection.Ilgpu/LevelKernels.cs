using ILGPU;

namespace Streaming.Detection.Ilgpu;

/// <summary>
/// The subset scan's per-event levels as an ILGPU kernel, following LayerBackground.TailCount and
/// ThresholdGrid.Level: float comparisons and integer counts only, so the levels are the CPU's exactly.
/// </summary>
internal static class LevelKernels
{
    /// <summary>
    /// levels[e, node] for events × nodes indexes: the node's tail count against the sorted
    /// background of the event's group (binary searches), mapped to its threshold level.
    /// </summary>
    public static void Levels(Index1D index, LevelShape shape, ArrayView<float> vectors, ArrayView<int> groups,
        ArrayView<int> nodeLayers, ArrayView<int> layerOffsets, ArrayView<long> columnStarts, ArrayView<int> counts,
        ArrayView<int> levelStarts, ArrayView<float> sorted, ArrayView<int> levelTable, ArrayView<int> levels)
    {
        long e = index / shape.Nodes;
        int node = (int)(index - e * shape.Nodes);
        int layer = nodeLayers[node];
        int j = node - layerOffsets[layer];
        int block = groups[e] * shape.Layers + layer;
        int n = counts[block];
        long start = columnStarts[block] + (long)j * n;
        float value = vectors[index];

        int lo = 0, hi = n;   // first index with column[i] >= value
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[start + mid] < value) lo = mid + 1; else hi = mid;
        }
        int count = n - lo;
        if (shape.TwoSided != 0)
        {
            int low = 0, high = n;   // first index with column[i] > value
            while (low < high)
            {
                int mid = (low + high) >>> 1;
                if (sorted[start + mid] <= value) low = mid + 1; else high = mid;
            }
            if (low < count)
            {
                count = low;
            }
        }
        levels[index] = levelTable[levelStarts[block] + count];
    }
}
