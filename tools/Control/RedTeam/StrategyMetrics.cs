namespace Streaming.Control.RedTeam;

/// <summary>
/// Scores one strategy from what the pipeline published. A window belongs to the strategy when it is of one
/// of the strategy's streams, or of a stream id no red-team strategy sent on (a model-wide window) and the
/// event that completed it came while the strategy was sending (± <c>tolerance</c>). Alerts count by window
/// id; flagged events are scored against the ground truth of every event the run sent.
/// </summary>
public static class StrategyMetrics
{
    public static StrategyResult Compute(
        StrategyRun run,
        IEnumerable<ObservedWindow> windows,
        IEnumerable<ObservedAlert> alerts,
        IReadOnlyDictionary<string, SentEvent> groundTruth,
        TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(groundTruth);

        var mine = windows.Where(w => Belongs(run, w.Stream, w.LastEventAt, tolerance))
            .DistinctBy(w => w.WindowId, StringComparer.Ordinal)
            .ToList();
        var attacked = mine.Where(w => w.AttackShare > 0).ToList();
        var clean = mine.Where(w => !(w.AttackShare > 0)).ToList();
        var alerted = mine.Where(w => w.Alert).ToList();

        var firstAlert = attacked.Where(w => w.Alert).MinBy(w => w.ArrivedAt);
        var attackStart = run.AttackStartedAt;
        double? timeToFirstAlert = null;
        int? eventsToFirstAlert = null;
        if (firstAlert is not null && attackStart is { } start)
        {
            timeToFirstAlert = Math.Max(0, (firstAlert.ArrivedAt - start).TotalMilliseconds);
            var completedAt = firstAlert.LastEventAt ?? firstAlert.ArrivedAt;
            eventsToFirstAlert = run.Sent.Count(e => e.Adversarial && e.SentAt <= completedAt);
        }

        var alertedIds = alerted.Select(w => w.WindowId).ToHashSet(StringComparer.Ordinal);
        var flagged = alerts
            .Where(a => alertedIds.Contains(a.WindowId) || Belongs(run, a.Stream, a.LastEventAt, tolerance))
            .SelectMany(a => a.FlaggedEventIds)
            .ToHashSet(StringComparer.Ordinal);
        var known = flagged.Where(groundTruth.ContainsKey).ToList();
        var flaggedAdversarial = known.Count(id => groundTruth[id].Adversarial);
        var ownAdversarial = run.Sent.Where(e => e.Adversarial).Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        var adversarialSent = ownAdversarial.Count;

        var ownWindows = mine.Count(w => run.Streams.Contains(w.Stream));
        var strategy = run.Strategy;
        return new StrategyResult
        {
            Strategy = strategy.Name,
            Family = strategy.Family,
            Attack = strategy.Attack,
            Epsilon = strategy.Epsilon,
            Share = strategy.Share,
            Images = run.Sent.Count,
            AdversarialImages = adversarialSent,
            SendSeconds = run.FirstSentAt is { } first && run.LastSentAt is { } last ? (last - first).TotalSeconds : 0,
            Windows = mine.Count,
            StreamWindows = ownWindows,
            ExpectedStreamWindows = run.ExpectedStreamWindows,
            OtherWindows = mine.Count - ownWindows,
            AttackedWindows = attacked.Count,
            CleanWindows = clean.Count,
            Alerts = alerted.Count,
            AttackedWindowAlerts = attacked.Count(w => w.Alert),
            CleanWindowAlerts = clean.Count(w => w.Alert),
            DetectionRate = Ratio(attacked.Count(w => w.Alert), attacked.Count),
            FalseAlarmRate = Ratio(clean.Count(w => w.Alert), clean.Count),
            TimeToFirstAlertMs = timeToFirstAlert,
            AdversarialEventsToFirstAlert = eventsToFirstAlert,
            FlaggedEvents = known.Count,
            FlaggedAdversarial = flaggedAdversarial,
            FlaggedUnknown = flagged.Count - known.Count,
            Precision = Ratio(flaggedAdversarial, known.Count),
            // Only this strategy's inputs count as found: a model-wide window may flag an earlier strategy's.
            Recall = Ratio(flagged.Count(ownAdversarial.Contains), adversarialSent),
        };
    }

    /// <summary>Whether a window (or alert) of <paramref name="stream"/> completed at <paramref name="lastEventAt"/> is the strategy's.</summary>
    public static bool Belongs(StrategyRun run, string stream, DateTimeOffset? lastEventAt, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Streams.Contains(stream)) return true;
        if (stream.StartsWith(run.RunPrefix, StringComparison.Ordinal)) return false;
        return lastEventAt is { } at && run.FirstSentAt is { } first && run.LastSentAt is { } last
            && at >= first - tolerance && at <= last + tolerance;
    }

    private static double? Ratio(int numerator, int denominator) => denominator == 0 ? null : numerator / (double)denominator;
}
