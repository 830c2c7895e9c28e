using System.Runtime.Intrinsics;

namespace Streaming.Detection.Scoring;

/// <summary>
/// Class-conditional Gaussian model of one layer (Lee et al. 2018): a mean per predicted class and one
/// covariance shared by all classes, shrunk towards a multiple of the identity so that a layer with
/// more components than inputs per class still inverts. The score of x for class c is the squared
/// Mahalanobis distance (x − μ_c)ᵀ Σ⁻¹ (x − μ_c), computed as ‖L⁻¹x − L⁻¹μ_c‖² with Σ = LLᵀ.
/// </summary>
internal sealed class ClassMahalanobis
{
    /// <summary>Weight of the identity target in the shrunk covariance.</summary>
    public const double Shrinkage = 0.1;

    private readonly int _dimension;
    private readonly double[] _cholesky;
    private readonly double[][] _whitenedMeans;

    public ClassMahalanobis(ReadOnlySpan<float> reference, int count, int dimension, ReadOnlySpan<int> labels)
    {
        _dimension = dimension;
        int classes = 0;
        foreach (int label in labels)
        {
            classes = Math.Max(classes, label + 1);
        }
        var means = new double[classes][];
        var counts = new int[classes];
        for (int i = 0; i < count; i++)
        {
            int c = labels[i];
            means[c] ??= new double[dimension];
            counts[c]++;
            var row = reference.Slice(i * dimension, dimension);
            for (int j = 0; j < dimension; j++)
            {
                means[c][j] += row[j];
            }
        }
        for (int c = 0; c < classes; c++)
        {
            if (means[c] is { } mean)
            {
                for (int j = 0; j < dimension; j++) mean[j] /= counts[c];
            }
        }

        var covariance = new double[dimension * dimension];
        var centred = new double[dimension];
        for (int i = 0; i < count; i++)
        {
            var row = reference.Slice(i * dimension, dimension);
            var mean = means[labels[i]];
            for (int j = 0; j < dimension; j++) centred[j] = row[j] - mean[j];
            for (int a = 0; a < dimension; a++)
            {
                double va = centred[a];
                for (int b = 0; b <= a; b++) covariance[a * dimension + b] += va * centred[b];
            }
        }
        double trace = 0;
        for (int a = 0; a < dimension; a++)
        {
            for (int b = 0; b <= a; b++) covariance[a * dimension + b] /= count;
            trace += covariance[a * dimension + a];
        }
        // A dead layer (all inputs equal) has trace 0: a unit floor keeps the factor finite.
        double target = trace > 0 ? trace / dimension : 1.0;
        for (int a = 0; a < dimension; a++)
        {
            for (int b = 0; b <= a; b++) covariance[a * dimension + b] *= 1 - Shrinkage;
            covariance[a * dimension + a] += Shrinkage * target;
        }
        _cholesky = Cholesky(covariance, dimension);

        _whitenedMeans = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            if (means[c] is { } mean)
            {
                _whitenedMeans[c] = new double[dimension];
                Solve(mean, _whitenedMeans[c]);
            }
        }
    }

    /// <summary>Squared distance to the class <paramref name="predictedClass"/>; to the nearest class when it is null or unseen in the reference.</summary>
    public double Distance(ReadOnlySpan<float> vector, int? predictedClass) => Distances(vector, predictedClass).Predicted;

    /// <summary>
    /// Squared distances to the predicted class (the nearest when null or unseen) and to the nearest
    /// class. Their difference, the class gap, is 0 when the predicted class is the nearest one: an
    /// ordinary member of its class, however far from the reference it lies.
    /// </summary>
    public (double Predicted, double Nearest) Distances(ReadOnlySpan<float> vector, int? predictedClass)
    {
        Span<double> input = _dimension <= 512 ? stackalloc double[_dimension] : new double[_dimension];
        Span<double> whitened = _dimension <= 512 ? stackalloc double[_dimension] : new double[_dimension];
        for (int j = 0; j < _dimension; j++) input[j] = vector[j];
        Solve(input, whitened);
        double best = double.PositiveInfinity;
        foreach (var mean in _whitenedMeans)
        {
            if (mean is not null) best = Math.Min(best, Squared(whitened, mean));
        }
        int seen = SeenClass(predictedClass);
        return seen >= 0 ? (Squared(whitened, _whitenedMeans[seen]!), best) : (best, best);
    }

    /// <summary>The predicted class's index when the reference holds that class, else −1 (no class, or one never seen: the nearest stands in).</summary>
    private int SeenClass(int? predictedClass) =>
        predictedClass is int c && c >= 0 && c < _whitenedMeans.Length && _whitenedMeans[c] is not null ? c : -1;

    /// <summary>
    /// <see cref="Distances"/> of <paramref name="classes"/>.Length row-major vectors: four at a time in the lanes of
    /// one register, each lane the same operations in the same order as <see cref="Distances"/>, so the same bits.
    /// The forward substitution is a chain of dependent subtractions per vector; four vectors' chains run side by
    /// side instead of one after another.
    /// </summary>
    /// <param name="vectors">Row-major count × d.</param>
    public void DistancesMany(ReadOnlySpan<float> vectors, ReadOnlySpan<int?> classes, Span<double> predicted, Span<double> nearest)
    {
        int count = classes.Length, d = _dimension;
        if (vectors.Length != (long)count * d || predicted.Length != count || nearest.Length != count)
        {
            throw new ArgumentException($"{vectors.Length} values, {predicted.Length} and {nearest.Length} results are not {count} vectors of {d}.", nameof(vectors));
        }
        int e = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var input = new Vector256<double>[d];
            var whitened = new Vector256<double>[d];
            var toClass = new Vector256<double>[_whitenedMeans.Length];
            for (; e + 4 <= count; e += 4)
            {
                for (int j = 0; j < d; j++)
                {
                    input[j] = Vector256.Create(vectors[e * d + j], vectors[(e + 1) * d + j], vectors[(e + 2) * d + j], vectors[(e + 3) * d + j]);
                }
                SolveFour(input, whitened);
                for (int c = 0; c < _whitenedMeans.Length; c++)
                {
                    if (_whitenedMeans[c] is { } mean)
                    {
                        toClass[c] = SquaredFour(whitened, mean);
                    }
                }
                for (int lane = 0; lane < 4; lane++)
                {
                    double best = double.PositiveInfinity;
                    for (int c = 0; c < _whitenedMeans.Length; c++)
                    {
                        if (_whitenedMeans[c] is not null) best = Math.Min(best, toClass[c][lane]);
                    }
                    nearest[e + lane] = best;
                    int seen = SeenClass(classes[e + lane]);
                    predicted[e + lane] = seen >= 0 ? toClass[seen][lane] : best;
                }
            }
        }
        for (; e < count; e++)
        {
            (predicted[e], nearest[e]) = Distances(vectors.Slice(e * d, d), classes[e]);
        }
    }

    /// <summary><see cref="Solve"/> of four vectors, one per lane.</summary>
    private void SolveFour(ReadOnlySpan<Vector256<double>> value, Span<Vector256<double>> result)
    {
        int d = _dimension;
        for (int a = 0; a < d; a++)
        {
            var sum = value[a];
            int rowStart = a * d;
            for (int b = 0; b < a; b++) sum -= Vector256.Create(_cholesky[rowStart + b]) * result[b];
            result[a] = sum / Vector256.Create(_cholesky[rowStart + a]);
        }
    }

    /// <summary><see cref="Squared"/> of four whitened vectors, one per lane, to one mean.</summary>
    private static Vector256<double> SquaredFour(ReadOnlySpan<Vector256<double>> a, ReadOnlySpan<double> b)
    {
        var total = Vector256<double>.Zero;
        for (int j = 0; j < a.Length; j++)
        {
            var d = a[j] - Vector256.Create(b[j]);
            total += d * d;
        }
        return total;
    }

    /// <summary>Row-major d × d lower-triangular L⁻¹ (column j is L⁻¹e_j), so that Wx is the whitened vector a device computes by one product.</summary>
    public double[] Whitening()
    {
        int d = _dimension;
        var whitening = new double[d * d];
        var unit = new double[d];
        var column = new double[d];
        for (int j = 0; j < d; j++)
        {
            unit[j] = 1;
            Solve(unit, column);
            unit[j] = 0;
            for (int a = 0; a < d; a++) whitening[a * d + j] = column[a];
        }
        return whitening;
    }

    /// <summary>Row-major classes × d whitened means L⁻¹μ_c (zero rows for unseen classes) and which classes were seen.</summary>
    public (double[] Means, bool[] Seen) WhitenedMeans()
    {
        var means = new double[_whitenedMeans.Length * _dimension];
        var seen = new bool[_whitenedMeans.Length];
        for (int c = 0; c < _whitenedMeans.Length; c++)
        {
            if (_whitenedMeans[c] is not { } mean) continue;
            seen[c] = true;
            mean.CopyTo(means, c * _dimension);
        }
        return (means, seen);
    }

    private static double Squared(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double total = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double d = a[j] - b[j];
            total += d * d;
        }
        return total;
    }

    /// <summary>Forward substitution: result = L⁻¹ value.</summary>
    private void Solve(ReadOnlySpan<double> value, Span<double> result)
    {
        int d = _dimension;
        for (int a = 0; a < d; a++)
        {
            double sum = value[a];
            int rowStart = a * d;
            for (int b = 0; b < a; b++) sum -= _cholesky[rowStart + b] * result[b];
            result[a] = sum / _cholesky[rowStart + a];
        }
    }

    /// <summary>Lower Cholesky factor of the symmetric positive-definite matrix whose lower triangle is given.</summary>
    private static double[] Cholesky(double[] lower, int d)
    {
        var factor = new double[d * d];
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double sum = lower[a * d + b];
                for (int k = 0; k < b; k++) sum -= factor[a * d + k] * factor[b * d + k];
                if (a == b)
                {
                    // The shrinkage keeps the matrix positive definite; this guards rounding only.
                    factor[a * d + a] = Math.Sqrt(Math.Max(sum, 1e-12));
                }
                else
                {
                    factor[a * d + b] = sum / factor[b * d + b];
                }
            }
        }
        return factor;
    }
}
