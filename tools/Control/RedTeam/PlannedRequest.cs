namespace Streaming.Control.RedTeam;

/// <summary>One predict request: a stream id and its images, in order.</summary>
public sealed record PlannedRequest(string Stream, IReadOnlyList<PlannedImage> Images);
