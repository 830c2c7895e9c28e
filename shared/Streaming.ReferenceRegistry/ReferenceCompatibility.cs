using Streaming.Detection;

namespace Streaming.ReferenceRegistry;

/// <summary>
/// Whether a reference fits the events of its model: the same layers with the same dimensions as the
/// model's references already published (its events carry those layers; a reference of other layers or
/// dimensions would drop every event of its windows).
/// </summary>
public static class ReferenceCompatibility
{
    /// <returns>Null when <paramref name="reference"/> matches <paramref name="existing"/>, else what differs.</returns>
    public static string? Problem(ReferenceSet reference, ReferenceMetadata existing)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(existing);
        foreach (var layer in reference.Layers)
        {
            var known = existing.Layers.FirstOrDefault(l => string.Equals(l.Name, layer.Layer, StringComparison.Ordinal));
            if (known is null)
                return $"layer '{layer.Layer}' is not among the layers of model '{existing.Model}' ({string.Join(", ", existing.Layers.Select(l => l.Name))}, as in reference {existing.Id})";
            if (known.Dimension != layer.Dimension)
                return $"layer '{layer.Layer}' has dimension {layer.Dimension}, but model '{existing.Model}' has {known.Dimension} (reference {existing.Id})";
        }
        var missing = existing.Layers.Select(l => l.Name).Except(reference.Layers.Select(l => l.Layer), StringComparer.Ordinal).ToArray();
        return missing.Length > 0
            ? $"it lacks layer(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} of model '{existing.Model}' (reference {existing.Id})"
            : null;
    }
}
