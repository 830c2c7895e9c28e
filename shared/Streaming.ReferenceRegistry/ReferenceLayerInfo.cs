namespace Streaming.ReferenceRegistry;

/// <summary>One layer of a published reference: its name, reference vectors, dimension and kernel bandwidth.</summary>
public sealed record ReferenceLayerInfo(string Name, int Count, int Dimension, double Bandwidth)
{
    public override string ToString() => $"{Name}[{Count}x{Dimension}, bandwidth {Bandwidth:0.####}]";
}
