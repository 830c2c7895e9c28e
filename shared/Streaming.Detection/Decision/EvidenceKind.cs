namespace Streaming.Detection.Decision;

/// <summary>What the events behind an alert look like.</summary>
public enum EvidenceKind
{
    /// <summary>No per-input evidence to tell (or no alert).</summary>
    Unknown,

    /// <summary>The events carry signals specific to adversarial inputs.</summary>
    Adversarial,

    /// <summary>The population moved, but its events look like ordinary members of their predicted class.</summary>
    Shift,
}
