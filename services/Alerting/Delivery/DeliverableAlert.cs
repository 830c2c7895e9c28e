using System.Globalization;
using System.Text;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Alerting.Delivery;

/// <summary>
/// Refuses, as malformed, an alert that could never be delivered, so the consumer dead-letters it
/// at once with the reason instead of retrying it: the alert id travels in the Idempotency-Key
/// header (visible ASCII only: no CR/LF, no other control characters, no non-ASCII, which HttpClient
/// refuses), and no id may carry control characters (log lines, Slack text, receivers' headers) or
/// be absurdly long. Deliberately local and simple; the contract-wide id rules live in Streaming.Contracts.
/// </summary>
public static class DeliverableAlert
{
    /// <summary>Longest id accepted; far above any real id, far below header-size limits (8 KiB is common).</summary>
    public const int MaxIdLength = 512;

    private const int ExcerptLength = 64;

    /// <exception cref="MalformedMessageException">The alert cannot be delivered; the message says which field and why.</exception>
    public static void Check(Alert alert)
    {
        if (string.IsNullOrWhiteSpace(alert.AlertId))
            throw new MalformedMessageException("Alert has no alert_id; webhooks de-duplicate on it.");
        Refuse("alert_id", alert.AlertId, HeaderProblem(alert.AlertId));
        var header = alert.Header;
        if (header is not null)
        {
            Refuse("header.model", header.Model, TextProblem(header.Model));
            Refuse("header.model_version", header.ModelVersion, TextProblem(header.ModelVersion));
            Refuse("header.stream_id", header.StreamId, TextProblem(header.StreamId));
        }

        Refuse("window_id", alert.WindowId, TextProblem(alert.WindowId));
    }

    /// <summary>Null when <paramref name="value"/> can be an HTTP header value as it is (visible ASCII, inner spaces), otherwise why not.</summary>
    public static string? HeaderProblem(string value)
    {
        if (TextProblem(value) is { } problem) return problem;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] > '~')
                return string.Create(CultureInfo.InvariantCulture, $"contains the non-ASCII character U+{(int)value[i]:X4} at index {i}, which an HTTP header cannot carry");
        }

        // A header value is trimmed by receivers: the key they see would differ from the one signed.
        return value.Length > 0 && (value[0] == ' ' || value[^1] == ' ') ? "starts or ends with a space, which HTTP trims from header values" : null;
    }

    /// <summary>Null when <paramref name="value"/> has no control character and is at most <see cref="MaxIdLength"/> long.</summary>
    public static string? TextProblem(string value)
    {
        if (value.Length > MaxIdLength)
            return string.Create(CultureInfo.InvariantCulture, $"is {value.Length} characters long (at most {MaxIdLength})");
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
                return string.Create(CultureInfo.InvariantCulture, $"contains the control character U+{(int)value[i]:X4} at index {i}");
        }

        return null;
    }

    private static void Refuse(string field, string value, string? problem)
    {
        if (problem is null) return;
        throw new MalformedMessageException($"Alert cannot be delivered: {field} '{Excerpt(value)}' {problem}.");
    }

    /// <summary>The start of a value with control characters escaped, safe to put in a reason or a log line.</summary>
    public static string Excerpt(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, ExcerptLength)))
        {
            if (char.IsControl(c) || c > '~') builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else builder.Append(c);
        }

        return value.Length > ExcerptLength ? builder.Append('…').ToString() : builder.ToString();
    }
}
