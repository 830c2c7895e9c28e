namespace Streaming.Control.Demo;

/// <summary>One model of the demo: its own Inference instance, reference (registry id) and phases.</summary>
/// <param name="ReferenceIds">The registry references its windows were tested against, as the detections name them (one in the demo).</param>
/// <param name="ModelWide">Its model-wide windows (stream "__model" of this model) over both its phases.</param>
public sealed record ModelSummary(
    string Model,
    string Version,
    string Dataset,
    double TestAccuracy,
    double AttackSuccessRate,
    IReadOnlyList<string> ReferenceIds,
    PhaseSummary Clean,
    PhaseSummary Attack,
    PhaseSummary ModelWide);
