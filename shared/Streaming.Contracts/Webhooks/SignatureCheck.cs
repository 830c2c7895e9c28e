namespace Streaming.Contracts.Webhooks;

/// <summary>Outcome of <see cref="WebhookSignatureVerifier.Verify"/>; only <see cref="Valid"/> should be accepted.</summary>
public enum SignatureCheck
{
    Valid,

    /// <summary>No X-Signature or no Idempotency-Key header.</summary>
    Missing,

    /// <summary>Unparseable, or without a t or a v2 value.</summary>
    Malformed,

    /// <summary>Timestamp outside the tolerance: a replay or a badly skewed clock.</summary>
    Stale,

    /// <summary>No v2 value matches: another secret, key, timestamp or body.</summary>
    Mismatch,
}
