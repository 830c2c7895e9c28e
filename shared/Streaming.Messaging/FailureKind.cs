namespace Streaming.Messaging;

/// <summary>What a consumer does with a message whose handling failed; see <see cref="FailureClassifier"/>.</summary>
public enum FailureKind
{
    /// <summary>Trying again gives the same result (bad content, too large): dead-letter it at once.</summary>
    Permanent,

    /// <summary>A dependency is unreachable or slow: keep the message and retry it until the dependency is back.</summary>
    Transient,

    /// <summary>Neither is known: a few quick retries, then dead-letter it with the reason.</summary>
    Unknown,
}
