namespace Streaming.Control.RedTeam;

/// <summary>One alert of a window as the alerts topic reported it, with the events it flags.</summary>
public sealed record ObservedAlert(string WindowId, string Stream, IReadOnlyList<string> FlaggedEventIds, DateTimeOffset ArrivedAt, DateTimeOffset? LastEventAt);
