using ILGPU;

namespace Streaming.Detection.Ilgpu;

/// <summary>
/// The per-input score kernels, in float32, following the CPU scorer (Streaming.Detection.Scoring):
/// the class-conditional Mahalanobis distance as ‖Wx − Wμ_c‖² (W = L⁻¹ computed on the host in
/// float64) and the exact k-NN search with its insertion order, so ties keep the earlier reference
/// row first as on the CPU. One thread per (event, component) or (event, reference row) for the
/// O(d²) and O(n·d) parts, one per event for the O(C·d) and O(n·k) selections.
/// </summary>
internal static class ScoreKernels
{
    /// <summary>whitened[e,a] = Σ_{b≤a} W[a,b] x[e,b], for events × d indexes.</summary>
    public static void Whiten(Index1D index, ScoreShape shape, ArrayView<float> vectors, ArrayView<float> whitening, ArrayView<float> whitened)
    {
        long d = shape.Dimension;
        long e = index / d;
        long a = index - e * d;
        float sum = 0f;
        for (long b = 0; b <= a; b++)
        {
            sum += whitening[a * d + b] * vectors[e * d + b];
        }
        whitened[index] = sum;
    }

    /// <summary>
    /// Per event: the squared distance of its whitened vector to the whitened mean of the predicted
    /// class (the nearest when the class is unknown or unseen) and to the nearest class.
    /// </summary>
    public static void ClassDistances(Index1D e, ScoreShape shape, ArrayView<float> whitened, ArrayView<float> means,
        ArrayView<int> seen, ArrayView<int> predictedClasses, ArrayView<float> predicted, ArrayView<float> nearest)
    {
        long d = shape.Dimension;
        long start = (long)e.X * d;
        int label = predictedClasses[e];
        float best = float.PositiveInfinity;
        float own = float.NaN;
        for (int c = 0; c < shape.Classes; c++)
        {
            if (seen[c] == 0)
            {
                continue;
            }
            float total = 0f;
            for (long j = 0; j < d; j++)
            {
                float difference = whitened[start + j] - means[c * d + j];
                total += difference * difference;
            }
            if (total < best)
            {
                best = total;
            }
            if (c == label)
            {
                own = total;
            }
        }
        nearest[e] = best;
        // An unknown or unseen class is scored against the nearest one, as on the CPU.
        predicted[e] = label >= 0 && label < shape.Classes && seen[label] != 0 ? own : best;
    }

    /// <summary>distances[e,i] = ‖x_e − r_i‖², for events × n indexes.</summary>
    public static void NeighbourDistances(Index1D index, ScoreShape shape, ArrayView<float> vectors, ArrayView<float> reference, ArrayView<float> distances)
    {
        long n = shape.ReferenceCount, d = shape.Dimension;
        long e = index / n;
        long i = index - e * n;
        float total = 0f;
        for (long j = 0; j < d; j++)
        {
            float difference = vectors[e * d + j] - reference[i * d + j];
            total += difference * difference;
        }
        distances[index] = total;
    }

    /// <summary>
    /// Per event: the k nearest reference rows by insertion into a sorted list (the CPU's order and
    /// tie rule), the k-th squared distance, and how many of the k carry a label other than the predicted class.
    /// </summary>
    public static void Neighbours(Index1D e, ScoreShape shape, ArrayView<float> distances, ArrayView<int> labels, ArrayView<int> predictedClasses,
        ArrayView<float> bestDistances, ArrayView<int> bestRows, ArrayView<float> kth, ArrayView<int> differing)
    {
        long n = shape.ReferenceCount;
        int k = shape.Neighbours;
        long row0 = (long)e.X * n;
        long top = (long)e.X * k;
        int filled = 0;
        for (long row = 0; row < n; row++)
        {
            float distance = distances[row0 + row];
            if (filled == k && distance >= bestDistances[top + k - 1])
            {
                continue;
            }
            int position = filled < k ? filled++ : k - 1;
            while (position > 0 && bestDistances[top + position - 1] > distance)
            {
                bestDistances[top + position] = bestDistances[top + position - 1];
                bestRows[top + position] = bestRows[top + position - 1];
                position--;
            }
            bestDistances[top + position] = distance;
            bestRows[top + position] = (int)row;
        }
        kth[e] = bestDistances[top + k - 1];
        int label = predictedClasses[e];
        int count = 0;
        if (shape.HasLabels != 0 && label >= 0)
        {
            for (int a = 0; a < k; a++)
            {
                if (labels[bestRows[top + a]] != label)
                {
                    count++;
                }
            }
        }
        differing[e] = count;
    }
}
