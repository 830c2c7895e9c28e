namespace Streaming.ReferenceRegistry;

/// <summary>The active references at one registry version: per model version its reference, and per model the newest active one (for version fallback).</summary>
public sealed class ActiveReferences
{
    public static readonly ActiveReferences Empty = new(-1, []);

    private readonly Dictionary<(string Model, string Version), ReferenceMetadata> _byVersion;
    private readonly Dictionary<string, ReferenceMetadata> _newestByModel;

    public ActiveReferences(long registryVersion, IEnumerable<ReferenceMetadata> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        RegistryVersion = registryVersion;
        _byVersion = active.ToDictionary(m => (m.Model, m.Version));
        // Newest by the time the reference was built; the publication time breaks ties.
        _newestByModel = _byVersion.Values
            .GroupBy(m => m.Model, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.PublishedAt).First(), StringComparer.Ordinal);
    }

    /// <summary>The registry's version counter when this snapshot was read.</summary>
    public long RegistryVersion { get; }

    public IReadOnlyCollection<ReferenceMetadata> All => _byVersion.Values;

    public ReferenceMetadata? Find(string model, string version) => _byVersion.GetValueOrDefault((model, version));

    /// <summary>The newest active reference of any version of <paramref name="model"/>, or null.</summary>
    public ReferenceMetadata? NewestOf(string model) => _newestByModel.GetValueOrDefault(model);
}
