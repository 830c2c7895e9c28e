using Streaming.Detection.Online;

namespace Streaming.Detection.Scoring;

/// <summary>
/// Exact k-nearest-neighbour search over a row-major reference matrix: one SIMD squared distance per
/// reference row and an insertion into a sorted list of the k best. At n_ref 1,000 and the small-cnn
/// layers (32-128 components) a query is tens of microseconds, so no index structure is needed.
/// </summary>
internal static class NearestNeighbours
{
    /// <summary>
    /// Fills <paramref name="distances"/> (squared, ascending) and <paramref name="indices"/> with the
    /// k = distances.Length nearest rows of <paramref name="reference"/> to <paramref name="query"/>.
    /// </summary>
    public static void Search(ReadOnlySpan<float> reference, int count, int dimension, ReadOnlySpan<float> query, Span<double> distances, Span<int> indices)
    {
        int k = distances.Length;
        if (k < 1 || k > count || indices.Length != k)
        {
            throw new ArgumentException($"k = {k} must lie in [1, {count}] with as many index slots (got {indices.Length}).");
        }
        if (query.Length != dimension)
        {
            throw new ArgumentException($"The query has {query.Length} components; the reference has {dimension}.", nameof(query));
        }

        int filled = 0;
        for (int row = 0; row < count; row++)
        {
            double distance = SquaredDistance.Compute(query, reference.Slice(row * dimension, dimension));
            if (filled == k && distance >= distances[k - 1])
            {
                continue;
            }
            // Insert into the sorted prefix; ties keep the earlier row first, so results are deterministic.
            int position = filled < k ? filled++ : k - 1;
            while (position > 0 && distances[position - 1] > distance)
            {
                distances[position] = distances[position - 1];
                indices[position] = indices[position - 1];
                position--;
            }
            distances[position] = distance;
            indices[position] = row;
        }
    }
}
