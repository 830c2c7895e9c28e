namespace Streaming.Detection.Online;

/// <summary>
/// The calibrated online detector of one model version: per layer, the reference part, the
/// thresholds and the initial window. Immutable and shared by every stream; each stream gets its
/// own <see cref="OnlineMmdDetector"/> from <see cref="CreateDetector"/>.
/// </summary>
public sealed class OnlineMmdModel
{
    private readonly OnlineLayerState[] _initialStates;

    internal OnlineMmdModel(string model, string modelVersion, OnlineMmdOptions options, IReadOnlyList<OnlineLayerModel> layers)
    {
        Model = model;
        ModelVersion = modelVersion;
        Options = options;
        Layers = layers;
        // The initial window is the same for every stream: its kernel sums are computed once.
        _initialStates = [.. layers.Select(OnlineLayerState.Initial)];
    }

    public string Model { get; }

    public string ModelVersion { get; }

    public OnlineMmdOptions Options { get; }

    public IReadOnlyList<OnlineLayerModel> Layers { get; }

    /// <summary>Per-layer false-alarm probability per step: 1 / (ERT × layers).</summary>
    public double LayerFalseAlarmRate => 1.0 / (Options.ExpectedRunTime * Layers.Count);

    public OnlineMmdDetector CreateDetector() => new(this);

    internal OnlineLayerState[] FreshStates() => [.. _initialStates.Select(s => s.Clone())];
}
