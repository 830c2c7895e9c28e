using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

        var best = new float[count * k];
        var rows = new int[count * k];
        if (reference.Wide)
        {
            var sink = new Nearest<Vector512Lanes, Vector512<float>>(reference, k, best, rows, new int[count]);
            reference.Run<Vector512Lanes, Vector512<float>, Nearest<Vector512Lanes, Vector512<float>>>(queries, count, ref sink);
        }
        else
        {
            var sink = new Nearest<MachineLanes, Vector<float>>(reference, k, best, rows, new int[count]);
            reference.Run<MachineLanes, Vector<float>, Nearest<MachineLanes, Vector<float>>>(queries, count, ref sink);
        }
        for (int i = 0; i < distances.Length; i++)
        {
            distances[i] = best[i];
            indices[i] = rows[i];
        }
    }

    /// <summary>Per query its k best squared distances (ascending) and rows so far, and how many of the k are filled.</summary>
    private readonly struct Nearest<TLanes, TVector>(RowTiles reference, int k, float[] best, int[] rows, int[] filled) : ITileSink<TVector>
        where TLanes : struct, IFloatLanes<TVector> where TVector : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(int vector, int tile, TVector low, TVector high)
        {
            bool lowMayEnter = true, highMayEnter = true;
            if (filled[vector] == k)
            {
                // Most registers hold no row nearer than the k-th: one comparison each decides it (the k-th only
                // gets nearer as rows enter, so a register none of whose rows beat it now has none that would).
                var worst = TLanes.Broadcast(best[vector * k + k - 1]);
                lowMayEnter = TLanes.AnyLessThan(low, worst);
                highMayEnter = TLanes.AnyLessThan(high, worst);
            }
            if (lowMayEnter)
            {
                Insert(vector, tile * reference.Tile, low);
            }
            if (highMayEnter)
            {
                Insert(vector, tile * reference.Tile + TLanes.Count, high);
            }
        }

        private void Insert(int vector, int firstRow, TVector squared)
        {
            // The lanes read from memory: a variable index into a register costs a store of it per lane.
            Span<float> lanes = stackalloc float[TLanes.Count];
            TLanes.Store(squared, ref MemoryMarshal.GetReference(lanes));
            int slot = vector * k;
            // Once the k are filled, only the lanes below the k-th can enter (the k-th only gets nearer): their bits,
            // taken in lane order, instead of a test of every lane (distances are finite: the vectors are bounded).
            ulong candidates = filled[vector] == k
                ? TLanes.LessThanBits(squared, TLanes.Broadcast(best[slot + k - 1]))
                : ulong.MaxValue >> (64 - TLanes.Count);
            while (candidates != 0)
            {
                int j = BitOperations.TrailingZeroCount(candidates);
                candidates &= candidates - 1;
                if (firstRow + j >= reference.Count)
                {
                    break;   // padding rows, the register's last lanes
                }
                float distance = lanes[j];
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
