namespace Streaming.Alerting.Signing;

/// <summary>Outcome of <see cref="WebhookSignatureVerifier.Verify"/>; only <see cref="Valid"/> should be accepted.</summary>
public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    /// <summary>Timestamp outside the tolerance: a replay or a badly skewed clock.</summary>
    Stale,
    Mismatch,
}
