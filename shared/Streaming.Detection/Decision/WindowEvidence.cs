namespace Streaming.Detection.Decision;

/// <summary>Everything a window's detection and alert report beyond the per-layer MMD results.</summary>
/// <param name="Scan">Null when no scan ran.</param>
/// <param name="Findings">The events named, smallest per-input p-value first; empty without per-input scores.</param>
public sealed record WindowEvidence(WindowDecision Decision, ScanFinding? Scan, IReadOnlyList<InputFinding> Findings, EvidenceKind Kind)
{
    /// <summary>The decision of the MMD family alone: what the detector decided before scans and per-input scores.</summary>
    public static WindowEvidence MmdOnly(WindowTestOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new WindowEvidence(WindowDecider.Decide(outcome.CombinedPValue, null, null, outcome.Alpha), null, [], EvidenceKind.Unknown);
    }
}
