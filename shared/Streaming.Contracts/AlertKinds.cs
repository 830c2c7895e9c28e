namespace Streaming.Contracts;

/// <summary>Values of <c>Alert.kind</c> and <c>DetectionResult.kind</c>.</summary>
public static class AlertKinds
{
    /// <summary>The inputs behind the alert carry signals specific to adversarial inputs.</summary>
    public const string Adversarial = "adversarial";

    /// <summary>The population moved, but its inputs look like ordinary members of their predicted class.</summary>
    public const string Shift = "shift";

    public static bool IsKnown(string? kind) => kind is Adversarial or Shift;
}
