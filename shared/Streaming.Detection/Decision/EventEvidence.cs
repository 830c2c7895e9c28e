using Streaming.Detection.Scoring;

namespace Streaming.Detection.Decision;

/// <summary>
/// What a window's evidence needs besides its MMD outcome (<see cref="WindowEvidenceBuilder.Gather"/>):
/// its events' per-input scores and its subset scan. Neither depends on the MMD test, so they can be
/// computed while it runs.
/// </summary>
/// <param name="Scores">Per event its per-input score; null without a scorer.</param>
/// <param name="Scan">Null when no scan ran.</param>
public sealed record EventEvidence(int Events, IReadOnlyList<InputScore>? Scores, ScanFinding? Scan);
