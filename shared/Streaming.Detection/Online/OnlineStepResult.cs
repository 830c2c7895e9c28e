namespace Streaming.Detection.Online;

/// <summary>The online detector's verdict after one event of a stream.</summary>
/// <param name="Step">Events since the stream started or since its last alarm (1-based).</param>
/// <param name="Layers">Per layer: the window's MMD², the threshold of this step and whether it was exceeded.</param>
/// <param name="Alarm">Some layer exceeded its threshold; the detector has restarted from its initial window.</param>
/// <param name="WitnessScores">
/// On an alarm: per window position, oldest first (the last is this event), the witness score summed
/// over the layers that exceeded their thresholds; positions before the stream's first W events hold
/// initial clean vectors. Empty without an alarm.
/// </param>
public sealed record OnlineStepResult(long Step, IReadOnlyList<OnlineLayerStep> Layers, bool Alarm, IReadOnlyList<double> WitnessScores);
