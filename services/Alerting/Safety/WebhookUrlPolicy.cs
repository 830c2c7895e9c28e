using System.Net;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Safety;

/// <summary>
/// Start-time checks of a webhook URL: absolute https (http only for allow-listed hosts), no
/// credentials in it, and no literal private or loopback address unless private networks are
/// allowed. Host names are checked again at connect time against what they resolve to
/// (<see cref="SsrfConnectGuard"/>), since DNS can point anywhere.
/// </summary>
public static class WebhookUrlPolicy
{
    /// <summary>Null when the URL is acceptable, otherwise why not (without the key, which the caller adds).</summary>
    public static string? Check(string? url, AlertingOptions options)
    {
        // The URL itself is a credential (Slack-style): a message names at most its scheme and host.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "must be an absolute http(s) URL (got a value that is not an absolute URL).";
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            return $"must be an absolute http(s) URL (got scheme '{uri.Scheme}').";
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return "must not carry credentials (user:password@); use a signing secret instead.";
        if (uri.Scheme == Uri.UriSchemeHttp && !IsAllowedInsecure(uri.IdnHost, options))
            return $"must use https; plain http to '{uri.IdnHost}' needs the host in {AlertingOptions.SectionName}:AllowInsecureHosts.";
        if (IsLiteral(uri, out var ip) && NetworkAddressPolicy.Classify(ip) == DestinationClass.Forbidden)
            return $"points at a link-local, cloud metadata, multicast or tunnelled address ('{uri.IdnHost}'), which no setting allows.";
        if (!options.AllowPrivateNetworks && IsPrivateHost(uri))
            return $"points at a loopback, link-local or private address ('{uri.IdnHost}'); set {AlertingOptions.SectionName}:AllowPrivateNetworks=true to allow it.";
        return null;
    }

    private static bool IsAllowedInsecure(string host, AlertingOptions options) =>
        options.AllowInsecureHosts.Any(h => !string.IsNullOrWhiteSpace(h) && string.Equals(h.Trim().Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));

    private static bool IsPrivateHost(Uri uri) =>
        NetworkAddressPolicy.IsLocalhostName(uri.IdnHost)
        || (IsLiteral(uri, out var ip) && NetworkAddressPolicy.IsPrivateOrLocal(ip));

    private static bool IsLiteral(Uri uri, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? ip) =>
        IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out ip);
}
