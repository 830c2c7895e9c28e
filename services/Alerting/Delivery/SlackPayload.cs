using System.Globalization;

namespace Streaming.Alerting.Delivery;

/// <summary>A Slack incoming-webhook message: only "text" (mrkdwn), which every Slack-compatible endpoint accepts.</summary>
public sealed record SlackPayload(string Text)
{
    public static SlackPayload From(AlertWebhookPayload alert)
    {
        var layers = alert.RejectedLayers.Count == 0 ? "none" : string.Join(", ", alert.RejectedLayers.Select(Escape));
        var statistic = alert.CombinedPValue is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"combined p = {p:G3}")
            : $"{alert.Mode} mode, no p-value";
        return new SlackPayload(string.Create(CultureInfo.InvariantCulture,
            $":rotating_light: *Adversarial input suspected* ({Escape(alert.Severity)}) on model `{Escape(alert.Model)}` v{Escape(alert.ModelVersion)}, stream `{Escape(alert.StreamId)}`\n" +
            $"window `{Escape(alert.WindowId)}`, {statistic} (alpha {Number(alert.Alpha)}), rejected layers: {layers}\n" +
            $"alert id `{Escape(alert.AlertId)}`"));
    }

    private static string Number(double? value) => value?.ToString("G3", CultureInfo.InvariantCulture) ?? "n/a";

    /// <summary>
    /// Slack's three control characters: an id such as "&lt;!channel&gt;" would otherwise notify a
    /// whole channel, or "&lt;https://evil|report&gt;" become a link.
    /// </summary>
    private static string Escape(string value) => value.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);
}
