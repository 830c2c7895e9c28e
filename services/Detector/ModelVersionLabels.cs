namespace Streaming.Detector;

/// <summary>
/// Keeps the model and model_version labels of a metric bounded, since both come from the events (any producer
/// can send any name): the first <c>maxModels</c> distinct models and, per model, the first
/// <c>maxVersionsPerModel</c> distinct versions keep their names; later ones are counted under <see cref="Other"/>
/// (a model beyond the bound as model and version "other", a version beyond it as version "other" of its model).
/// </summary>
public sealed class ModelVersionLabels
{
    public const string Other = "other";
    public const int DefaultMaxModels = 100;
    public const int DefaultMaxVersionsPerModel = 20;

    private readonly int _maxModels;
    private readonly int _maxVersionsPerModel;
    private readonly Dictionary<string, HashSet<string>> _versions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ModelVersionLabels(int maxModels = DefaultMaxModels, int maxVersionsPerModel = DefaultMaxVersionsPerModel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxModels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxVersionsPerModel);
        _maxModels = maxModels;
        _maxVersionsPerModel = maxVersionsPerModel;
    }

    /// <summary>The labels to record <paramref name="model"/> <paramref name="version"/> under.</summary>
    public (string Model, string Version) Of(string model, string version)
    {
        lock (_lock)
        {
            if (!_versions.TryGetValue(model, out var versions))
            {
                if (_versions.Count >= _maxModels) return (Other, Other);
                _versions[model] = versions = new HashSet<string>(StringComparer.Ordinal);
            }

            if (versions.Contains(version)) return (model, version);
            if (versions.Count >= _maxVersionsPerModel) return (model, Other);
            versions.Add(version);
            return (model, version);
        }
    }
}
