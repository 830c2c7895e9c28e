namespace Streaming.Alerting.Rules;

/// <summary>
/// One routing rule ("Alerting:Rules:N"). Every list filter is "any of" and empty means "any".
/// An alert matching the filters counts towards a streak per (rule, model, stream); it is sent to
/// <see cref="Targets"/> once the streak reaches <see cref="ConsecutiveWindows"/> and the rule is
/// not cooling down for that model and stream.
/// </summary>
public sealed class AlertRule
{
    public string Name { get; set; } = "";

    public List<string> Models { get; set; } = [];

    public List<string> Streams { get; set; } = [];

    /// <summary>Matches when one of these layers is among the alert's rejected layers.</summary>
    public List<string> Layers { get; set; } = [];

    /// <summary>
    /// Matches alerts of these kinds: "adversarial", "shift", or "unknown" for an alert without a kind
    /// (online mode, or no per-input evidence to tell). Route shifts to the model owners and
    /// adversarial alerts to security, for example.
    /// </summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>low, medium or high (the Detector's severity, from the combined p-value over alpha).</summary>
    public string MinSeverity { get; set; } = "low";

    /// <summary>
    /// Failing windows in a row needed before the rule fires. Alerting sees only failing windows,
    /// so "in a row" means: each alert of the streak came within <see cref="ConsecutiveWithin"/> of the previous one.
    /// </summary>
    public int ConsecutiveWindows { get; set; } = 1;

    public TimeSpan ConsecutiveWithin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After firing, further alerts of the same (rule, model, stream) are suppressed this long.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.Zero;

    /// <summary>Names of Alerting:Webhooks entries this rule sends to (at least one).</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>Needs Redis: a streak or a cooldown is state shared across alerts and instances.</summary>
    public bool IsStateful => ConsecutiveWindows > 1 || Cooldown > TimeSpan.Zero;
}
