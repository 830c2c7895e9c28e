using Streaming.Detection.Scanning;
using Streaming.Detection.Scoring;

namespace Streaming.Detection.Decision;

/// <summary>
/// A window's events as <see cref="WindowEvidenceBuilder.GatherEvents"/> found them (from the per-event
/// cache or computed): what its scan (<see cref="WindowEvidenceBuilder.Scan"/>) starts from.
/// </summary>
/// <param name="Scores">Per event its per-input score; null without a scorer.</param>
/// <param name="Rows">Per event its scan level row; null when the window is not scanned.</param>
public sealed record GatheredEvents(int Events, InputScore?[]? Scores, ScanRow?[]? Rows);
