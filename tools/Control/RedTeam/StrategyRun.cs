namespace Streaming.Control.RedTeam;

/// <summary>
/// What one strategy sent: its events with their ground truth, the streams it used and the windows those
/// streams complete. <see cref="RunPrefix"/> marks every stream of the whole red-team run, so a window of
/// another strategy's stream is never counted here.
/// </summary>
public sealed record StrategyRun(RedTeamStrategy Strategy, string RunPrefix, IReadOnlyList<SentEvent> Sent, int ExpectedStreamWindows)
{
    public IReadOnlySet<string> Streams { get; } = Sent.Select(e => e.Stream).ToHashSet(StringComparer.Ordinal);

    public DateTimeOffset? FirstSentAt => Sent.Count == 0 ? null : Sent.Min(e => e.SentAt);

    public DateTimeOffset? LastSentAt => Sent.Count == 0 ? null : Sent.Max(e => e.SentAt);

    /// <summary>When the first adversarial input was sent; null for clean traffic.</summary>
    public DateTimeOffset? AttackStartedAt => Sent.Where(e => e.Adversarial).Select(e => (DateTimeOffset?)e.SentAt).Min();
}
