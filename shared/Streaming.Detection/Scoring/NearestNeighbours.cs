using System.Numerics;
using System.Runtime.CompilerServices;

namespace Streaming.Detection.Scoring;

/// <summary>
/// Exact k-nearest-neighbour search of many queries over a reference held in <see cref="RowTiles"/>: the
/// squared distances of six queries at a time to each tile of reference rows, then per query an insertion
/// into its sorted list of the k best (a tile none of whose rows beats the query's k-th is skipped whole).
/// At n_ref 1,000 and the small-cnn layers a query costs a few microseconds, so no index structure is needed.
/// A query's neighbours and distances do not depend on the other queries of the call.
/// </summary>
internal static class NearestNeighbours
{
    /// <summary>
    /// Fills, per query u, distances[u·k …] (squared, ascending) and indices[u·k …] with the k nearest
    /// reference rows, k = distances.Length / count. Ties keep the earlier row first.
    /// </summary>
    /// <param name="queries">Row-major count×d queries.</param>
    public static void Search(RowTiles reference, ReadOnlySpan<float> queries, int count, Span<double> distances, Span<int> indices)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int k = distances.Length / count;
        if (k < 1 || k > reference.Count || distances.Length != count * k || indices.Length != distances.Length)
        {
            throw new ArgumentException($"k = {k} must lie in [1, {reference.Count}], with k slots per query for distances and indices (got {distances.Length} and {indices.Length} for {count} queries).");
        }
        if (queries.Length != (long)count * reference.Dimension)
        {
            throw new ArgumentException($"{queries.Length} values are not {count} queries of {reference.Dimension} components.", nameof(queries));
        }

        var sink = new Nearest(reference, k, new float[count * k], new int[count * k], new int[count]);
        reference.Run(queries, count, ref sink);
        for (int i = 0; i < distances.Length; i++)
        {
            distances[i] = sink.Best[i];
            indices[i] = sink.Rows[i];
        }
    }

    /// <summary>Per query its k best squared distances (ascending) and rows so far, and how many of the k are filled.</summary>
    private readonly struct Nearest(RowTiles reference, int k, float[] best, int[] rows, int[] filled) : ITileSink
    {
        public float[] Best => best;

        public int[] Rows => rows;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(int vector, int tile, Vector<float> low, Vector<float> high)
        {
            int slot = vector * k;
            if (filled[vector] == k)
            {
                // Most tiles hold no row nearer than the k-th: one comparison per register decides it.
                var worst = new Vector<float>(best[slot + k - 1]);
                if (!Vector.LessThanAny(low, worst) && !Vector.LessThanAny(high, worst))
                {
                    return;
                }
            }
            Insert(vector, tile * RowTiles.Tile, low);
            Insert(vector, tile * RowTiles.Tile + Vector<float>.Count, high);
        }

        private void Insert(int vector, int firstRow, Vector<float> squared)
        {
            int slot = vector * k;
            for (int j = 0; j < Vector<float>.Count && firstRow + j < reference.Count; j++)
            {
                float distance = squared[j];
                int count = filled[vector];
                if (count == k && distance >= best[slot + k - 1])
                {
                    continue;
                }
                // Insert into the sorted prefix; ties keep the earlier row first, so results are deterministic.
                int position = count < k ? count : k - 1;
                if (count < k)
                {
                    filled[vector] = count + 1;
                }
                while (position > 0 && best[slot + position - 1] > distance)
                {
                    best[slot + position] = best[slot + position - 1];
                    rows[slot + position] = rows[slot + position - 1];
                    position--;
                }
                best[slot + position] = distance;
                rows[slot + position] = firstRow + j;
            }
        }
    }
}
