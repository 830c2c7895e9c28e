namespace Streaming.Control.RedTeam;

/// <summary>
/// One event the red team sent, with its ground truth: the id Inference gave it, its stream, whether it
/// is adversarial, and when its request was posted (this machine's clock).
/// </summary>
public sealed record SentEvent(string EventId, string Stream, bool Adversarial, DateTimeOffset SentAt);
