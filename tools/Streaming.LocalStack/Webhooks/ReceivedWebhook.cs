using Streaming.Contracts.Webhooks;

namespace Streaming.LocalStack.Webhooks;

/// <summary>One POST that reached a <see cref="WebhookReceiver"/>, with the status it was answered (0: the sender hung up first).</summary>
/// <param name="Headers">Request headers (multiple values joined with ", "), case-insensitive keys.</param>
public sealed record ReceivedWebhook(
    DateTimeOffset ReceivedAt,
    string Path,
    string Body,
    IReadOnlyDictionary<string, string> Headers,
    int StatusCode)
{
    /// <summary>How X-Signature verified, when the receiver was given a secret; null otherwise.</summary>
    public SignatureCheck? Signature { get; init; }

    public bool Accepted => StatusCode is >= 200 and < 300;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
