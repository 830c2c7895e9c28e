using Streaming.Control.RedTeam;

namespace Streaming.UnitTests.Control.RedTeam;

/// <summary>Per-strategy figures from synthetic sends, windows and alerts whose answers are counted by hand.</summary>
public sealed class StrategyMetricsTests
{
    private const string Prefix = "redteam-run1-";
    private const string Stream = Prefix + "00-mix-pgd-20";
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    [Fact]
    public void Compute_AlertsFlagKnownAndUnknownEvents_PrecisionOverKnownRecallOverAdversarialSent()
    {
        // e0..e9 sent, e2 e5 e7 e9 adversarial; the alerts flag e2 e5 e7 (adversarial), e1 (clean) and x (not ours).
        var run = Run(Stream, 10, adversarial: [2, 5, 7, 9]);
        ObservedWindow[] windows = [Window("w1", Stream, alert: true, share: 0.3, at: 5), Window("w2", Stream, alert: true, share: 0.1, at: 9)];
        ObservedAlert[] alerts = [Alert("w1", Stream, ["e2", "e5", "e1"], at: 5), Alert("w2", Stream, ["e7", "e5", "x"], at: 9)];

        var result = StrategyMetrics.Compute(run, windows, alerts, Truth(run), Tolerance);

        Assert.Equal(4, result.FlaggedEvents);
        Assert.Equal(3, result.FlaggedAdversarial);
        Assert.Equal(1, result.FlaggedUnknown);
        Assert.Equal(0.75, result.Precision);
        Assert.Equal(0.75, result.Recall);
        Assert.Equal(2, result.Alerts);
        Assert.Equal(1.0, result.DetectionRate);
    }

    [Fact]
    public void Compute_CleanWindowAlertsFirst_FirstAlertIsTheFirstOnAnAttackedWindowFromTheAttacksStart()
    {
        // Events one second apart; the first adversarial one is e4 (T0+4 s).
        var run = Run(Stream, 20, adversarial: [4, 8, 12, 16]);
        ObservedWindow[] windows =
        [
            Window("clean-alarm", Stream, alert: true, share: 0, at: 3, arrived: 3.5),
            Window("missed", Stream, alert: false, share: 0.2, at: 9, arrived: 9.5),
            Window("caught-late", Stream, alert: true, share: 0.2, at: 17, arrived: 19),
            Window("caught", Stream, alert: true, share: 0.2, at: 12, arrived: 14),
        ];

        var result = StrategyMetrics.Compute(run, windows, [], Truth(run), Tolerance);

        Assert.Equal(10_000, result.TimeToFirstAlertMs);
        Assert.Equal(3, result.AdversarialEventsToFirstAlert); // e4, e8, e12: sent up to the event completing "caught"
        Assert.Equal(3, result.AttackedWindows);
        Assert.Equal(2, result.AttackedWindowAlerts);
        Assert.Equal(2 / 3.0, result.DetectionRate);
        Assert.Equal(1, result.CleanWindows);
        Assert.Equal(1.0, result.FalseAlarmRate);
    }

    [Fact]
    public void Compute_NothingAlerted_RatesWithoutDenominatorAreNullNotNaN()
    {
        var run = Run(Stream, 10, adversarial: [3]);
        ObservedWindow[] windows = [Window("w", Stream, alert: false, share: 0.1, at: 9)];

        var result = StrategyMetrics.Compute(run, windows, [], Truth(run), Tolerance);

        Assert.Null(result.Precision);
        Assert.Equal(0.0, result.Recall);
        Assert.Null(result.TimeToFirstAlertMs);
        Assert.Null(result.AdversarialEventsToFirstAlert);
        Assert.Null(result.FalseAlarmRate);
        Assert.Equal(0.0, result.DetectionRate);
    }

    [Fact]
    public void Compute_WindowsOfOtherStreams_ModelWideCountWhileSendingOtherStrategiesNever()
    {
        var run = Run(Stream, 10, adversarial: [1]);
        ObservedWindow[] windows =
        [
            Window("own", Stream, alert: false, share: 0.1, at: 9),
            Window("model-wide-inside", "*", alert: true, share: 0.1, at: 5),
            Window("model-wide-edge", "*", alert: false, share: 0, at: 9.9),
            Window("model-wide-before", "*", alert: true, share: 0.1, at: -5),
            Window("model-wide-after", "*", alert: true, share: 0.1, at: 30),
            Window("other-strategy", Prefix + "01-spread-pgd-10-c0", alert: true, share: 0, at: 5),
        ];

        var result = StrategyMetrics.Compute(run, windows, [], Truth(run), Tolerance);

        Assert.Equal(3, result.Windows);
        Assert.Equal(1, result.StreamWindows);
        Assert.Equal(2, result.OtherWindows);
        Assert.Equal(1, result.Alerts);
    }

    [Fact]
    public void Compute_SameWindowIdTwice_CountedOnce()
    {
        var run = Run(Stream, 10, adversarial: [1]);
        ObservedWindow[] windows = [Window("w", Stream, alert: true, share: 0.1, at: 9), Window("w", Stream, alert: true, share: 0.1, at: 9, arrived: 12)];

        var result = StrategyMetrics.Compute(run, windows, [], Truth(run), Tolerance);

        Assert.Equal(1, result.Windows);
        Assert.Equal(1, result.Alerts);
    }

    [Fact]
    public void Compute_AlertFlagsAnotherStrategysAdversarialEvent_PrecisionCountsItRecallDoesNot()
    {
        var earlier = Run(Prefix + "00-mix-fgsm-10", 4, adversarial: [0], idPrefix: "old", startSeconds: -100);
        var run = Run(Prefix + "01-mix-pgd-10", 4, adversarial: [1]);
        var truth = Truth(earlier).Concat(Truth(run)).ToDictionary();
        ObservedWindow[] windows = [Window("mw", "*", alert: true, share: 0.5, at: 2)];
        ObservedAlert[] alerts = [Alert("mw", "*", ["old0", "e2"], at: 2)];

        var result = StrategyMetrics.Compute(run, windows, alerts, truth, Tolerance);

        Assert.Equal(0.5, result.Precision); // old0 is adversarial, e2 is clean
        Assert.Equal(0.0, result.Recall); // this strategy's only adversarial input, e1, was not flagged
    }

    private static StrategyRun Run(string stream, int count, int[] adversarial, string idPrefix = "e", double startSeconds = 0) =>
        new(new RedTeamStrategy(StrategyFamily.Mix, "pgd", 0.3, 0.2, count), Prefix,
            [.. Enumerable.Range(0, count).Select(i => new SentEvent($"{idPrefix}{i}", stream, adversarial.Contains(i), T0.AddSeconds(startSeconds + i)))],
            ExpectedStreamWindows: 1);

    private static Dictionary<string, SentEvent> Truth(StrategyRun run) => run.Sent.ToDictionary(e => e.EventId);

    private static ObservedWindow Window(string id, string stream, bool alert, double share, double at, double? arrived = null) =>
        new(id, stream, alert, share, T0.AddSeconds(arrived ?? at + 0.5), T0.AddSeconds(at));

    private static ObservedAlert Alert(string window, string stream, string[] flagged, double at) =>
        new(window, stream, flagged, T0.AddSeconds(at + 0.5), T0.AddSeconds(at));
}
