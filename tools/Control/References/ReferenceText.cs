using System.Globalization;
using Streaming.ReferenceRegistry;

namespace Streaming.Control.References;

/// <summary>How `control references` prints references: plain lines a script can read (no table borders or wrapping).</summary>
public static class ReferenceText
{
    public static string Header => Row("ID", "STATE", "CREATED", "N", "LAYERS", "SOURCE");

    /// <summary>One line of `list`.</summary>
    public static string Line(ReferenceMetadata reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Row(
            reference.Id,
            State(reference.State),
            reference.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            reference.Count.ToString(CultureInfo.InvariantCulture),
            string.Join(',', reference.Layers.Select(l => $"{l.Name}:{l.Dimension}")),
            reference.Source);
    }

    /// <summary>Every field of `show`, one "name: value" per line.</summary>
    public static IEnumerable<string> Details(ReferenceMetadata reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        yield return $"id: {reference.Id}";
        yield return $"model: {reference.Model}";
        yield return $"version: {reference.Version}";
        yield return $"state: {State(reference.State)}";
        yield return $"n: {reference.Count}";
        foreach (var layer in reference.Layers)
            yield return $"layer: {layer.Name} {layer.Count}x{layer.Dimension} bandwidth {layer.Bandwidth.ToString("0.######", CultureInfo.InvariantCulture)}";
        yield return $"calibration split: {(reference.HasCalibration ? "yes" : "no (per-input scores and the scan are off for it)")}";
        yield return $"source: {reference.Source}";
        yield return $"created at: {reference.CreatedAt.ToString("O", CultureInfo.InvariantCulture)}";
        yield return $"published at: {reference.PublishedAt.ToString("O", CultureInfo.InvariantCulture)}";
        yield return $"checksum: sha256:{reference.Checksum}";
        yield return $"bytes: {reference.Bytes}";
    }

    public static string State(ReferenceState state) => state.ToString().ToLowerInvariant();

    private static string Row(string id, string state, string created, string n, string layers, string source) =>
        $"{id,-40} {state,-9} {created,-20} {n,6} {layers,-24} {source}".TrimEnd();
}
