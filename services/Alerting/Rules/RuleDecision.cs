namespace Streaming.Alerting.Rules;

/// <summary>What a stateful rule decided for one alert; stored per alert so a redelivery gets the same answer.</summary>
public enum RuleDecision
{
    Deliver,
    /// <summary>Fewer than ConsecutiveWindows alerts in the streak so far.</summary>
    Streak,
    /// <summary>The rule fired for this model and stream within its Cooldown.</summary>
    Cooldown,
}
