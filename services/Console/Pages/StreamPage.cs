using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Streaming.Console.History;
using Streaming.Console.Options;

namespace Streaming.Console.Pages;

/// <summary>
/// GET /stream?model=…&amp;stream=…: one stream's state, its detection rate over time against the
/// model's clean baseline and α, its per-layer p-values over time (both charts drawn by
/// console.js from the embedded history and kept live over server-sent events) and its recent alerts.
/// </summary>
public static class StreamPage
{
    private const int RecentAlerts = 10;

    public static async Task<IResult> HandleAsync(string? model, string? stream, string? from, string? to, int? rolling, HistoryReader history, IOptions<ConsoleOptions> options)
    {
        if (string.IsNullOrEmpty(model) || string.IsNullOrEmpty(stream))
            return Html.BadRequest("A stream page needs ?model=…&stream=….");
        var range = TimeRange.Parse(from, to, out var error);
        if (range is null)
            return Html.BadRequest(error!);
        var state = await history.StateAsync(model, stream);
        if (state is null)
            return Html.NotFound($"Unknown stream '{stream}' of model '{model}'.", "No window of it was tested, or its history expired.");

        var windows = await history.WindowsAsync(model, stream, range.FromMs, range.ToMs);
        var baseline = await history.BaselineAsync(model);
        var alerts = await history.AlertsAsync(new AlertFilter(model, stream, range.FromMs, range.ToMs), 1, RecentAlerts);
        var window = Math.Clamp(rolling ?? options.Value.RollingWindows, 1, 1000);

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Html.E(stream)} <small>model {Html.E(model)}</small></h1>");
        html.Append("<dl class=\"state\">")
            .Append(CultureInfo.InvariantCulture, $"<dt>Last window</dt><dd>{Html.E(state.LastWindowId)} ({Html.Time(state.LastAt)})</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Last decision</dt><dd>{(state.LastAlert ? "<span class=\"badge alert\">rejected</span>" : "<span class=\"badge ok\">consistent with the reference</span>")} combined p {Html.P(state.LastPValue)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Windows tested</dt><dd id=\"windows-tested\">{state.Windows}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Rejected windows</dt><dd>{state.AlertWindows}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Alerts</dt><dd><a href=\"/alerts?model={Html.E(Html.Q(model))}&amp;stream={Html.E(Html.Q(stream))}\">{state.Alerts}</a></dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>α</dt><dd>{state.Alpha.ToString(CultureInfo.InvariantCulture)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Clean baseline</dt><dd>{Html.Percent(baseline.Rate)} of {baseline.Windows} windows of model {Html.E(model)} with no attack-labelled event were rejected</dd>")
            .Append("</dl>");
        html.Append("<form class=\"filters\" method=\"get\" action=\"/stream\">")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"model\" value=\"{Html.E(model)}\"><input type=\"hidden\" name=\"stream\" value=\"{Html.E(stream)}\">")
            .Append(CultureInfo.InvariantCulture, $"<label>From (UTC) <input type=\"datetime-local\" step=\"1\" name=\"from\" value=\"{TimeRange.Field(range.From)}\"></label>")
            .Append(CultureInfo.InvariantCulture, $"<label>To (UTC) <input type=\"datetime-local\" step=\"1\" name=\"to\" value=\"{TimeRange.Field(range.To)}\"></label>")
            .Append(CultureInfo.InvariantCulture, $"<label>Rolling over <input type=\"number\" min=\"1\" max=\"1000\" name=\"rolling\" value=\"{window}\"> windows</label><button>Apply</button></form>");
        html.Append(CultureInfo.InvariantCulture, $"<section><h2>Detection rate over time</h2><p class=\"caption\">Share of the last {window} windows rejected (<span class=\"key rate\">solid blue</span>), against the model's clean baseline (<span class=\"key baseline\">dashed grey</span>) and α (<span class=\"key alpha\">dotted red</span>, the rate expected of clean traffic). <span id=\"live-status\" class=\"live\">live updates: connecting…</span></p><div id=\"rate-chart\" class=\"chart\"></div></section>");
        html.Append("<section><h2>Per-layer p-values over time</h2><p class=\"caption\">Each layer's MMD test p-value per window (log scale); below the dotted red α line a layer is rejected. The layer names are on the lines' legend below the chart.</p><div id=\"pvalue-chart\" class=\"chart\"></div></section>");
        if (windows.Count == 0)
            html.Append("<p class=\"empty\">No window in this time range.</p>");

        html.Append(CultureInfo.InvariantCulture, $"<section><h2>Recent alerts</h2>{AlertsPage.Table(alerts.Items)}</section>");

        var config = new StreamPageConfig(model, stream, state.Alpha, baseline.Rate, window, $"/api/live?model={Html.Q(model)}&stream={Html.Q(stream)}", windows);
        var scripts = "<script id=\"console-config\" type=\"application/json\">" + JsonSerializer.Serialize(config, PageJsonContext.Default.StreamPageConfig) + "</script>"
            + "<script src=\"/assets/lib/uPlot.iife.min.js\"></script><script src=\"/assets/console.js\"></script>";
        return Html.Page($"{stream} ({model})", html.ToString(), scripts: scripts);
    }
}
