using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection.Online;

/// <summary>
/// Sets the online detector's thresholds by simulation on the clean reference, as in the online
/// MMD literature (Cobb et al., "Sequential multivariate change detection with calibrated and
/// memoryless false detection rates", 2022; alibi-detect's MMDDriftOnline). Each bootstrap splits
/// the n reference vectors into a reference part of n - (2W-1) and a simulated clean stream of
/// 2W-1, seen as W overlapping windows. The threshold of step w is the 1 - f quantile of the
/// statistic over the bootstraps that have not yet alarmed, with f = 1 / (ERT × layers): the
/// chance of a first false alarm is f at every step, per layer, so the run length between false
/// alarms on clean traffic is geometric with mean at least ERT (a union bound over layers).
/// All bootstraps of a chunk are computed together on the device from one n×n kernel matrix
/// (gathers and sums, no loop over bootstraps).
/// </summary>
public static class OnlineMmdCalibrator
{
    private const int ChunkSize = 1024;

    public static OnlineMmdModel Calibrate(ReferenceSet references, OnlineMmdOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(device);
        if (references.Layers.Count == 0)
        {
            throw new ArgumentException($"Reference set for model '{references.Model}' has no layers.", nameof(references));
        }
        options.Validate(references.Layers.Count, references.Layers.Min(l => l.Count));
        double falseAlarmRate = 1.0 / (options.ExpectedRunTime * references.Layers.Count);
        var layers = new OnlineLayerModel[references.Layers.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            // Distinct, reproducible draws per layer (golden-ratio stride, as for the window test).
            ulong seed = unchecked(options.Seed + (ulong)i * 0x9E3779B97F4A7C15UL);
            layers[i] = CalibrateLayer(references.Layers[i], options, falseAlarmRate, device, seed);
        }
        return new OnlineMmdModel(references.Model, references.ModelVersion, options, layers);
    }

    private static OnlineLayerModel CalibrateLayer(LayerReference reference, OnlineMmdOptions options, double falseAlarmRate, Device device, ulong seed)
    {
        int n = reference.Count;
        int w = options.WindowSize;
        int extended = 2 * w - 1;
        int referencePart = n - extended;
        double diagonal = options.BandwidthScales.Count; // k(x, x) = Σ_s exp(0)

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var uploaded = DeviceReference.Upload(reference, device, options.BandwidthScales);
        // Sums over up to n² kernel values: float64 keeps the small differences the statistic is made of.
        var kernel = uploaded.Kernel.to_type(ScalarType.Float64);
        double offDiagonalTotal = kernel.sum().item<double>() - n * diagonal;
        var columnSums = kernel.sum([0L]);
        var flatKernel = kernel.flatten();
        using var generator = new Generator(seed, device);

        // B × W statistics: bootstrap b's MMD² on its window w.
        var statistics = new double[options.Bootstraps * w];
        for (int start = 0; start < options.Bootstraps; start += ChunkSize)
        {
            int count = Math.Min(ChunkSize, options.Bootstraps - start);
            using var chunkScope = torch.NewDisposeScope();
            var stream = torch.rand([count, n], ScalarType.Float32, device, generator: generator).argsort(1).narrow(1, referencePart, extended);
            var chunk = BootstrapStatistics(flatKernel, columnSums, stream, n, w, referencePart, offDiagonalTotal, diagonal);
            TensorTransfer.DownloadDoubles(chunk).CopyTo(statistics, start * w);
        }

        double[] thresholds = ConditionalQuantiles(statistics, options.Bootstraps, w, falseAlarmRate);
        var (referenceVectors, kernelMean, initial) = ChooseSplit(reference, uploaded, kernel, thresholds[0], options, seed);
        return new OnlineLayerModel(reference.Layer, reference.Dimension, referenceVectors, kernelMean, thresholds, initial,
            GaussianKernel.Gammas(reference.Bandwidth, options.BandwidthScales));
    }

    /// <param name="stream">B × (2W-1) indices of each bootstrap's simulated stream; the other n - (2W-1) form its reference part.</param>
    /// <returns>B × W unbiased MMD² of each bootstrap's W overlapping windows against its reference part.</returns>
    private static Tensor BootstrapStatistics(Tensor flatKernel, Tensor columnSums, Tensor stream, int n, int w, int referencePart, double offDiagonalTotal, double diagonal)
    {
        long b = stream.shape[0];
        int extended = (int)stream.shape[1];
        // K[y_i, y_j] for every bootstrap: B × E × E, gathered from the flat n×n matrix.
        var streamKernel = flatKernel.take(stream.unsqueeze(2).Times(n) + stream.unsqueeze(1));
        // Σ over the reference part of k(x, y_j) = column sum over all rows minus the rows of the stream.
        var crossColumns = columnSums.take(stream) - streamKernel.sum([1L]);
        double pairs = (double)referencePart * (referencePart - 1);
        var referenceMean = (streamKernel.sum([1L, 2L]).Minus(extended * diagonal).negative().Plus(offDiagonalTotal) - crossColumns.sum([1L]).Times(2)).Over(pairs);

        var perWindow = new Tensor[w];
        for (int start = 0; start < w; start++)
        {
            var window = streamKernel.narrow(1, start, w).narrow(2, start, w);
            var within = window.sum([1L, 2L]).Minus(w * diagonal).Over((double)w * (w - 1));
            var cross = crossColumns.narrow(1, start, w).sum([1L]).Over((double)referencePart * w);
            perWindow[start] = referenceMean + within - cross.Times(2);
        }
        return torch.stack(perWindow, 1).reshape(b, w);
    }

    /// <summary>
    /// Threshold of step w: the 1 - f quantile over the bootstraps with no alarm in steps 0..w-1;
    /// the bootstraps above it leave the pool, so the next threshold is conditional on no earlier alarm.
    /// </summary>
    internal static double[] ConditionalQuantiles(double[] statistics, int bootstraps, int w, double falseAlarmRate)
    {
        var thresholds = new double[w];
        var alive = Enumerable.Range(0, bootstraps).ToList();
        var values = new double[bootstraps];
        for (int step = 0; step < w; step++)
        {
            int count = alive.Count;
            for (int i = 0; i < count; i++)
            {
                values[i] = statistics[alive[i] * w + step];
            }
            var sorted = values.AsSpan(0, count).ToArray();
            Array.Sort(sorted);
            thresholds[step] = Quantile(sorted, 1 - falseAlarmRate);
            alive.RemoveAll(b => statistics[b * w + step] >= thresholds[step]);
        }
        return thresholds;
    }

    /// <summary>Linear interpolation between order statistics (type 7, as numpy's default).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>
    /// The live split: a reference part of n - (2W-1) vectors and W held-out ones that fill a new
    /// stream's window. Drawn again (seeded) while the initial window would alarm by itself, so a
    /// fresh stream never starts in alarm.
    /// </summary>
    private static (float[] Reference, double KernelMean, float[] Initial) ChooseSplit(
        LayerReference reference, DeviceReference uploaded, Tensor kernel, double firstThreshold, OnlineMmdOptions options, ulong seed)
    {
        int n = reference.Count;
        int w = options.WindowSize;
        int referencePart = n - (2 * w - 1);
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var host = TensorTransfer.DownloadDoubles(kernel);
        for (int attempt = 0; ; attempt++)
        {
            int[] order = [.. Enumerable.Range(0, n)];
            random.Shuffle(order);
            int[] part = order[..referencePart];
            int[] initial = order[^w..];
            double partSum = 0;
            foreach (int i in part)
            {
                foreach (int j in part)
                {
                    if (i != j) partSum += host[(long)i * n + j];
                }
            }
            double kernelMean = partSum / ((double)referencePart * (referencePart - 1));
            double within = 0;
            double cross = 0;
            foreach (int i in initial)
            {
                foreach (int j in initial)
                {
                    if (i != j) within += host[(long)i * n + j];
                }
                foreach (int j in part)
                {
                    cross += host[(long)i * n + j];
                }
            }
            double mmd = kernelMean + within / ((double)w * (w - 1)) - 2 * cross / ((double)referencePart * w);
            if (mmd < firstThreshold || attempt == 99)
            {
                if (mmd >= firstThreshold)
                {
                    throw new InvalidOperationException(
                        $"Layer '{reference.Layer}': no split of the reference in 100 draws gave an initial window below the first threshold {firstThreshold:G4}; the reference is too small for WindowSize {w}.");
                }
                return (Rows(reference, part), kernelMean, Rows(reference, initial));
            }
        }
    }

    private static float[] Rows(LayerReference reference, int[] indices)
    {
        int d = reference.Dimension;
        var rows = new float[indices.Length * d];
        for (int r = 0; r < indices.Length; r++)
        {
            Array.Copy(reference.Vectors, (long)indices[r] * d, rows, (long)r * d, d);
        }
        return rows;
    }
}
