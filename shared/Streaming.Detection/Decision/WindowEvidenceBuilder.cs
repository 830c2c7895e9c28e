using Streaming.Detection.Scanning;
using Streaming.Detection.Scoring;

namespace Streaming.Detection.Decision;

/// <summary>
/// Turns a window's MMD outcome, its events' per-input scores and its subset scan into one decision
/// (<see cref="WindowDecider"/>), the ranked events it names (<see cref="InputFindings"/>) and its
/// kind (<see cref="EvidenceKinds"/>). Either family may be absent (a reference without a calibration
/// split has no per-input scores; the scan may be off): the decision is then over those that ran.
/// </summary>
public sealed class WindowEvidenceBuilder(PerInputScorer? scorer, double alpha, WindowScanner? scanner = null)
{
    private readonly LevelCountTest? _levels = scorer is null ? null : new LevelCountTest(scorer.CalibrationCount);

    /// <param name="layers">Per reference layer (in the scorer's order) the window's tested vectors, one per event.</param>
    /// <param name="predictedClasses">Per event the model's predicted class, null when unknown.</param>
    public WindowEvidence Build(WindowTestOutcome outcome, IReadOnlyList<float[][]> layers, IReadOnlyList<int?> predictedClasses)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(predictedClasses);
        var events = layers.Count == 0 ? 0 : layers[0].Length;
        var scan = events >= 2 ? scanner?.Scan(layers, predictedClasses) : null;
        if (scorer is null || events == 0)
            return new WindowEvidence(WindowDecider.Decide(outcome.CombinedPValue, scan?.PValue, null, alpha), scan, [], EvidenceKind.Unknown);

        var scores = scorer.ScoreWindow(layers, predictedClasses);
        var pValues = scores.Select(s => s.FusedPValue).ToArray();
        var decision = WindowDecider.Decide(outcome.CombinedPValue, scan?.PValue, _levels!.PValue(scores), alpha);
        var findings = InputFindings.Rank(pValues, [.. scores.Select(s => s.SmallestLayerName)], [.. scores.Select(s => s.AdversarialEvidence)], alpha, events);
        var kind = decision.Alert ? EvidenceKinds.Classify(findings, scorer.Options.AdversarialLevel, alpha) : EvidenceKind.Unknown;
        return new WindowEvidence(decision, scan, findings, kind);
    }
}
