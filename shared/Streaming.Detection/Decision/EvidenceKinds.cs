namespace Streaming.Detection.Decision;

/// <summary>
/// Tells an attack from a benign population shift. A single input's adversarial evidence is weak
/// (measured: 48 % of PGD inputs carry it, and 5 % of shifted clean ones, by construction of its
/// conformal level), but the events behind an alert are many: if none of them were adversarial, the
/// number carrying evidence would be at most Binomial(m, level). The alert is <c>adversarial</c> when
/// that many or more is unlikely (tail ≤ alpha), <c>shift</c> otherwise.
/// </summary>
public static class EvidenceKinds
{
    /// <summary>How many events are weighed when none is flagged (the alert came from MMD or the scan).</summary>
    public const int UnflaggedSample = 10;

    /// <param name="findings">The window's ranked findings (smallest p first).</param>
    /// <param name="evidenceLevel">The conformal level of a single input's evidence (PerInputScorerOptions.AdversarialLevel).</param>
    public static EvidenceKind Classify(IReadOnlyList<InputFinding> findings, double evidenceLevel, double alpha)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0) return EvidenceKind.Unknown;
        var weighed = findings.Any(f => f.Flagged) ? findings.Where(f => f.Flagged).ToList() : [.. findings.Take(UnflaggedSample)];
        int withEvidence = weighed.Count(f => f.Adversarial);
        return BinomialTail.AtLeast(withEvidence, weighed.Count, evidenceLevel) <= alpha ? EvidenceKind.Adversarial : EvidenceKind.Shift;
    }
}
