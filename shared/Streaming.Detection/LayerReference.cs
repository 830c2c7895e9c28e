namespace Streaming.Detection;

/// <summary>
/// Clean activation vectors of one layer (row-major, <see cref="Count"/> × <see cref="Dimension"/>)
/// and the Gaussian kernel bandwidth fixed for that layer at calibration.
/// </summary>
public sealed class LayerReference
{
    private readonly Lazy<RowTiles> _tiles;

    public LayerReference(string layer, int count, int dimension, float[] vectors, double bandwidth)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(layer);
        ArgumentNullException.ThrowIfNull(vectors);
        if (count < 2)
        {
            throw new ArgumentException($"Reference for layer '{layer}' needs at least 2 vectors, got {count}.", nameof(count));
        }
        if (dimension < 1)
        {
            throw new ArgumentException($"Reference for layer '{layer}' has dimension {dimension}; it must be at least 1.", nameof(dimension));
        }
        if (vectors.LongLength != (long)count * dimension)
        {
            throw new ArgumentException(
                $"Reference for layer '{layer}' declares {count}×{dimension} = {(long)count * dimension} values but holds {vectors.LongLength}.",
                nameof(vectors));
        }
        if (!double.IsFinite(bandwidth) || bandwidth <= 0)
        {
            throw new ArgumentException($"Reference for layer '{layer}' has bandwidth {bandwidth}; it must be finite and positive.", nameof(bandwidth));
        }
        // The same bound as for tested events: it is what keeps the float32 kernel finite.
        int bad = ActivationBounds.FirstUnusable(vectors);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"Reference for layer '{layer}' holds an unusable value ({ActivationBounds.Describe(vectors[bad])}) in vector {bad / dimension}, component {bad % dimension}.",
                nameof(vectors));
        }

        Layer = layer;
        Count = count;
        Dimension = dimension;
        Vectors = vectors;
        Bandwidth = bandwidth;
        _tiles = new Lazy<RowTiles>(() => new RowTiles(vectors, count, dimension));
    }

    public string Layer { get; }

    public int Count { get; }

    public int Dimension { get; }

    /// <summary>Row-major <see cref="Count"/> × <see cref="Dimension"/> values.</summary>
    public float[] Vectors { get; }

    /// <summary>σ of the kernel k(x,y) = exp(-‖x-y‖² / (2σ²)).</summary>
    public double Bandwidth { get; }

    /// <summary>
    /// The vectors in tiles for the managed distance loops, built on first use and shared by everything that runs
    /// events past this reference (the precomputed null's cross sums, the per-input nearest neighbours).
    /// </summary>
    internal RowTiles Tiles => _tiles.Value;
}
