using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Streaming.Console.History;
using Streaming.Console.Inputs;
using Streaming.Console.Options;
using Streaming.Messaging;

namespace Streaming.Console.Pages;

/// <summary>
/// GET /alert?id=…: one alert whole (time, model, stream, window, combined p-value, layers) with its
/// suspicious events ranked, each with the input image Inference captured, its prediction and its
/// score, or a note that the image is not available; and the command that replays its range.
/// </summary>
public static class AlertPage
{
    public static async Task<IResult> HandleAsync(string? id, HistoryReader history, CapturedInputReader inputs, IOptions<ConsoleOptions> options, IOptions<KafkaOptions> kafka)
    {
        if (string.IsNullOrEmpty(id))
            return Html.BadRequest("An alert page needs ?id=….");
        var alert = await history.AlertAsync(id);
        if (alert is null)
            return Html.NotFound($"Unknown alert '{id}'.", "It never reached the console, or its history expired.");

        var captured = await inputs.DescribeAsync([.. alert.Events.Select(e => e.EventId)]);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>Alert {Html.E(alert.AlertId)}</h1><dl class=\"state\">")
            .Append(CultureInfo.InvariantCulture, $"<dt>Time</dt><dd>{Html.Time(alert.Time)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Model</dt><dd>{Html.E(alert.Model)} (version {Html.E(alert.ModelVersion)})</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Stream</dt><dd><a href=\"{Html.E(Html.StreamUrl(alert.Model, alert.Stream))}\">{Html.E(alert.Stream)}</a></dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Window</dt><dd>{Html.E(alert.WindowId)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Combined p-value</dt><dd>{Html.P(alert.CombinedPValue)} (α {alert.Alpha.ToString(CultureInfo.InvariantCulture)})</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Rejected layers</dt><dd>{Html.E(string.Join(", ", alert.RejectedLayers))}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Severity</dt><dd>{Html.E(alert.Severity)}</dd></dl>");

        html.Append("<h2>Layers</h2><table><thead><tr><th>Layer</th><th>MMD²</th><th>p-value</th><th>Rejected</th></tr></thead><tbody>");
        foreach (var layer in alert.Layers)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.E(layer.Layer)}</td><td>{Html.P(layer.Mmd2)}</td><td>{Html.P(layer.PValue)}</td><td>{(layer.Rejected ? "yes" : "no")}</td></tr>");
        html.Append("</tbody></table>");

        html.Append("<h2>Suspicious events</h2>");
        if (alert.Events.Count == 0)
            html.Append("<p class=\"empty\">The alert names no event.</p>");
        else
        {
            html.Append("<p class=\"caption\">Ranked by score, the event's p-value (lowest, most suspicious, first).</p><ol class=\"events\">");
            foreach (var (e, input) in alert.Events.Zip(captured))
            {
                var image = input.Available
                    ? $"<img class=\"input\" src=\"/inputs/{Html.E(Html.Q(e.EventId))}.png\" width=\"112\" height=\"112\" alt=\"input image of event {Html.E(e.EventId)}\">"
                    : "<div class=\"input unavailable\">image unavailable: expired, or input capture is off</div>";
                var prediction = input.Predicted is { } predicted
                    ? $"predicted <b>{predicted}</b> ({Html.Percent(input.Confidence)} confidence)"
                    : "prediction unavailable";
                html.Append(CultureInfo.InvariantCulture, $"<li class=\"event\">{image}<div><div class=\"rank\">#{e.Rank}</div><div>event <code>{Html.E(e.EventId)}</code> on {Html.E(e.Stream)}</div>")
                    .Append(CultureInfo.InvariantCulture, $"<div>{prediction}</div><div>score (p-value) {Html.P(e.Score)}{(string.IsNullOrEmpty(e.Layer) ? "" : " on " + Html.E(e.Layer))}{(e.Flagged ? ", flagged" : "")}</div></div></li>");
            }

            html.Append("</ol>");
        }

        var bootstrap = options.Value.ReplayBootstrapServers ?? kafka.Value.BootstrapServers;
        html.Append(CultureInfo.InvariantCulture, $"<h2>Replay</h2><p class=\"caption\">Re-runs windowing and detection over this alert's range offline, without touching the live pipeline:</p><pre class=\"replay\">{Html.E(ReplayCommand.For(alert, bootstrap, options.Value.ReplayLookback))}</pre>");
        return Html.Page($"Alert {alert.AlertId}", html.ToString());
    }
}
