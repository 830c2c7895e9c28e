using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Streaming.ReferenceRegistry;

/// <summary>A <see cref="ReferenceMetadata"/> as the fields of its Redis hash (readable with redis-cli HGETALL).</summary>
internal static class MetadataFields
{
    public const string State = "state";

    public static HashEntry[] Write(ReferenceMetadata metadata) =>
    [
        new("id", metadata.Id),
        new("model", metadata.Model),
        new("version", metadata.Version),
        new("layers", JsonSerializer.Serialize(metadata.Layers.Select(l => new[] { l.Name, l.Count.ToString(CultureInfo.InvariantCulture), l.Dimension.ToString(CultureInfo.InvariantCulture), l.Bandwidth.ToString("R", CultureInfo.InvariantCulture) }))),
        new("n", metadata.Count),
        new("source", metadata.Source),
        new("created_at", metadata.CreatedAt.ToString("O", CultureInfo.InvariantCulture)),
        new("published_at", metadata.PublishedAt.ToString("O", CultureInfo.InvariantCulture)),
        new("checksum", metadata.Checksum),
        new(State, StateName(metadata.State)),
        new("bytes", metadata.Bytes),
        new("calibration", metadata.HasCalibration ? 1 : 0),
    ];

    /// <returns>Null when the hash is empty (no such reference).</returns>
    public static ReferenceMetadata? Read(HashEntry[] entries)
    {
        if (entries.Length == 0) return null;
        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        string Field(string name) => fields.TryGetValue(name, out var value) ? value : throw new InvalidDataException($"The registry's metadata of reference '{fields.GetValueOrDefault("id")}' lacks the field '{name}'.");
        var layers = JsonSerializer.Deserialize<string[][]>(Field("layers"))!
            .Select(l => new ReferenceLayerInfo(l[0], int.Parse(l[1], CultureInfo.InvariantCulture), int.Parse(l[2], CultureInfo.InvariantCulture), double.Parse(l[3], CultureInfo.InvariantCulture)))
            .ToArray();
        return new ReferenceMetadata(
            Field("id"),
            Field("model"),
            Field("version"),
            layers,
            int.Parse(Field("n"), CultureInfo.InvariantCulture),
            Field("source"),
            DateTimeOffset.Parse(Field("created_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            DateTimeOffset.Parse(Field("published_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            Field("checksum"),
            ParseState(Field(State)),
            long.Parse(Field("bytes"), CultureInfo.InvariantCulture))
        {
            HasCalibration = fields.GetValueOrDefault("calibration") == "1",
        };
    }

    public static string StateName(ReferenceState state) => state.ToString().ToLowerInvariant();

    public static ReferenceState ParseState(string text) =>
        Enum.TryParse<ReferenceState>(text, ignoreCase: true, out var state) ? state : throw new InvalidDataException($"Unknown reference state '{text}'.");
}
