namespace Streaming.Alerting.Diagnostics;

/// <summary>
/// A webhook URL is a credential (Slack, Teams and many others put the secret in the path or the
/// query), so only its scheme, host and port may reach a log line, an exception message, a dead
/// letter or a metric. Every place that would show a target's URL goes through here.
/// </summary>
public static class UrlRedaction
{
    public const string Placeholder = "[redacted]";

    /// <summary>"https://hooks.example.com" or "http://127.0.0.1:8080": never the path, query, fragment or user info.</summary>
    public static string Redact(Uri url) => url.IsAbsoluteUri
        ? url.IsDefaultPort ? $"{url.Scheme}://{url.Host}" : $"{url.Scheme}://{url.Host}:{url.Port}"
        : Placeholder;

    /// <summary><see cref="Redact(Uri)"/> for configuration text; a value that does not parse is shown as the placeholder.</summary>
    public static string Redact(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? Redact(parsed) : Placeholder;

    /// <summary>
    /// <paramref name="text"/> with every occurrence of <paramref name="url"/>'s secret parts (the
    /// whole URL, its path and query, raw and unescaped) replaced by the placeholder: for failure
    /// reasons built from exception messages or from the target's own error body, which may echo them.
    /// </summary>
    public static string Scrub(string text, Uri url)
    {
        if (!url.IsAbsoluteUri || text.Length == 0) return text;
        var secrets = new[]
            {
                url.OriginalString, url.AbsoluteUri, url.PathAndQuery, Uri.UnescapeDataString(url.PathAndQuery),
                url.AbsolutePath, Uri.UnescapeDataString(url.AbsolutePath), url.Query, url.Query.TrimStart('?'),
            }
            // "/" or "?" alone would blank out every slash of the text and hides nothing.
            .Where(s => s.Length > 1)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length);
        foreach (var secret in secrets)
            text = text.Replace(secret, Placeholder, StringComparison.OrdinalIgnoreCase);
        return text;
    }
}
