namespace Streaming.Control.RedTeam;

/// <summary>
/// What the pipeline made of one strategy. Rates are null where their denominator is zero (never NaN):
/// a detection rate without attacked windows, a precision without flagged events.
/// </summary>
public sealed record StrategyResult
{
    public required string Strategy { get; init; }

    public required StrategyFamily Family { get; init; }

    public string? Attack { get; init; }

    public double? Epsilon { get; init; }

    /// <summary>Planned share of adversarial inputs among the images sent.</summary>
    public double Share { get; init; }

    public int Images { get; init; }

    public int AdversarialImages { get; init; }

    /// <summary>From the first request of the strategy to its last: the rate achieved is Images / SendSeconds.</summary>
    public double SendSeconds { get; init; }

    /// <summary>Windows tested that belong to this strategy: <see cref="StreamWindows"/> + <see cref="OtherWindows"/>.</summary>
    public int Windows { get; init; }

    /// <summary>Windows of the strategy's own streams.</summary>
    public int StreamWindows { get; init; }

    /// <summary>Count windows the strategy's own streams complete.</summary>
    public int ExpectedStreamWindows { get; init; }

    /// <summary>Windows of other stream ids (model-wide windows) completed while the strategy was sending.</summary>
    public int OtherWindows { get; init; }

    /// <summary>Windows holding at least one adversarial event (attack_share &gt; 0).</summary>
    public int AttackedWindows { get; init; }

    public int CleanWindows { get; init; }

    /// <summary>Alerting windows, counted by window id.</summary>
    public int Alerts { get; init; }

    public int AttackedWindowAlerts { get; init; }

    public int CleanWindowAlerts { get; init; }

    /// <summary>Share of attacked windows that alerted.</summary>
    public double? DetectionRate { get; init; }

    /// <summary>Share of windows without an adversarial event that alerted.</summary>
    public double? FalseAlarmRate { get; init; }

    /// <summary>From the first adversarial input sent to the arrival of the first alert on an attacked window.</summary>
    public double? TimeToFirstAlertMs { get; init; }

    /// <summary>Adversarial inputs sent up to the event that completed that first alerting window.</summary>
    public int? AdversarialEventsToFirstAlert { get; init; }

    /// <summary>Distinct flagged events of the strategy's alerts whose ground truth is known.</summary>
    public int FlaggedEvents { get; init; }

    public int FlaggedAdversarial { get; init; }

    /// <summary>Flagged events the red team did not send (other clients' traffic in a model-wide window).</summary>
    public int FlaggedUnknown { get; init; }

    /// <summary>Flagged adversarial / flagged (known ground truth).</summary>
    public double? Precision { get; init; }

    /// <summary>Flagged adversarial / adversarial inputs sent.</summary>
    public double? Recall { get; init; }
}
