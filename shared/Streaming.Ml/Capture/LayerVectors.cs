namespace Streaming.Ml.Capture;

/// <summary>One layer's reduced vectors for a batch, stored row-major (input i at [i*Dim, (i+1)*Dim)).</summary>
public sealed class LayerVectors(string layer, int dim, float[] values)
{
    public string Layer { get; } = layer;

    public int Dim { get; } = dim;

    /// <summary>All vectors of the batch, one after another.</summary>
    public float[] Values { get; } = values;

    public int Count => Dim == 0 ? 0 : Values.Length / Dim;

    public ReadOnlySpan<float> VectorSpan(int index) => Values.AsSpan(index * Dim, Dim);

    /// <summary>A copy of input <paramref name="index"/>'s vector.</summary>
    public float[] Vector(int index) => VectorSpan(index).ToArray();
}
