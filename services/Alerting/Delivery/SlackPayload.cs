using System.Globalization;

namespace Streaming.Alerting.Delivery;

/// <summary>A Slack incoming-webhook message: only "text" (mrkdwn), which every Slack-compatible endpoint accepts.</summary>
public sealed record SlackPayload(string Text)
{
    public static SlackPayload From(AlertWebhookPayload alert)
    {
        var layers = alert.RejectedLayers.Count == 0 ? "none" : string.Join(", ", alert.RejectedLayers);
        return new SlackPayload(string.Create(CultureInfo.InvariantCulture,
            $":rotating_light: *Adversarial input suspected* ({alert.Severity}) on model `{alert.Model}` v{alert.ModelVersion}, stream `{alert.StreamId}`\n" +
            $"window `{alert.WindowId}`, combined p = {alert.CombinedPValue:G3} (alpha {alert.Alpha:G3}), rejected layers: {layers}\n" +
            $"alert id `{alert.AlertId}`"));
    }
}
