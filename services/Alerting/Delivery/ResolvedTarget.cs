using Polly;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Delivery;

/// <summary>A target ready to deliver to: parsed URL, loaded secret (null = unsigned) and its own pipeline.</summary>
public sealed class ResolvedTarget(string name, Uri url, WebhookFormat format, byte[]? secret, ResiliencePipeline<HttpResponseMessage> pipeline)
{
    public string Name { get; } = name;

    public Uri Url { get; } = url;

    public WebhookFormat Format { get; } = format;

    /// <summary>Not exposed as text anywhere; only the signer reads it.</summary>
    internal byte[]? Secret { get; } = secret;

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; } = pipeline;

    public override string ToString() => $"{Name} ({Diagnostics.UrlRedaction.Redact(Url)})";
}
