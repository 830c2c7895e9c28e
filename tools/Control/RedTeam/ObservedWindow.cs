namespace Streaming.Control.RedTeam;

/// <summary>
/// One tested window as the detections topic reported it: its id, stream (a model-wide window may carry
/// another stream id than any the red team sent on), whether it alerted, the share of its events that
/// carry an attack attribute, when it arrived here and the timestamp of the event that completed it.
/// </summary>
public sealed record ObservedWindow(string WindowId, string Stream, bool Alert, double AttackShare, DateTimeOffset ArrivedAt, DateTimeOffset? LastEventAt);
