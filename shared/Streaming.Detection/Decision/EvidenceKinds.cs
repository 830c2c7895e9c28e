namespace Streaming.Detection.Decision;

/// <summary>
/// Tells an attack from a benign population shift. A single input's adversarial evidence is weak
/// (measured: 48 % of PGD inputs carry it, and 5 % of shifted clean ones, by construction of its
/// conformal level), but the events behind an alert are many: if none of them were adversarial, the
/// number carrying evidence would be at most Binomial(m, level). The alert is <c>adversarial</c> when
/// that many or more is unlikely (tail ≤ alpha), <c>shift</c> otherwise. Only flagged events are
/// weighed: an alert without a flagged event came from the population as a whole (MMD, scan or
/// the counts), which is what a shift looks like. Weighing the window's ten most unusual events
/// instead labelled 33 % of shifted clean windows adversarial (`control evaluate`, benign shift):
/// the most unusual members of a population carry the class-gap signal more often than its average.
/// </summary>
public static class EvidenceKinds
{
    /// <param name="findings">The window's ranked findings (smallest p first).</param>
    /// <param name="evidenceLevel">The conformal level of a single input's evidence (PerInputScorerOptions.AdversarialLevel).</param>
    public static EvidenceKind Classify(IReadOnlyList<InputFinding> findings, double evidenceLevel, double alpha)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0) return EvidenceKind.Unknown;
        var weighed = findings.Where(f => f.Flagged).ToList();
        if (weighed.Count == 0) return EvidenceKind.Shift;
        int withEvidence = weighed.Count(f => f.Adversarial);
        return BinomialTail.AtLeast(withEvidence, weighed.Count, evidenceLevel) <= alpha ? EvidenceKind.Adversarial : EvidenceKind.Shift;
    }
}
