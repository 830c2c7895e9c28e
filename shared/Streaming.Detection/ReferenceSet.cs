namespace Streaming.Detection;

/// <summary>The clean references of every tested layer of one model version.</summary>
public sealed record ReferenceSet(
    string Model,
    string ModelVersion,
    DateTimeOffset CreatedAt,
    IReadOnlyList<LayerReference> Layers)
{
    public LayerReference? Find(string layer)
    {
        foreach (var reference in Layers)
        {
            if (string.Equals(reference.Layer, layer, StringComparison.Ordinal))
            {
                return reference;
            }
        }
        return null;
    }
}
