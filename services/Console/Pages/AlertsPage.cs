using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Streaming.Console.History;
using Streaming.Console.Options;

namespace Streaming.Console.Pages;

/// <summary>GET /alerts: alerts newest first, filtered by model, stream and time range, a page at a time.</summary>
public static class AlertsPage
{
    public static async Task<IResult> HandleAsync(string? model, string? stream, string? from, string? to, int? page, HistoryReader history, IOptions<ConsoleOptions> options)
    {
        var range = TimeRange.Parse(from, to, out var error);
        if (range is null)
            return Html.BadRequest(error!);
        if (!string.IsNullOrEmpty(stream) && string.IsNullOrEmpty(model))
            return Html.BadRequest("Filtering alerts by stream needs its model (?model=…&stream=…).");
        if (!string.IsNullOrEmpty(model) && !string.IsNullOrEmpty(stream) && await history.StateAsync(model, stream) is null)
            return Html.NotFound($"Unknown stream '{stream}' of model '{model}'.", "No window or alert of it is in the history.");

        var models = await history.ModelsAsync();
        if (!string.IsNullOrEmpty(model) && !models.Contains(model))
            return Html.NotFound($"Unknown model '{model}'.", "No stream of it is in the history.");
        var alerts = await history.AlertsAsync(new AlertFilter(model, stream, range.FromMs, range.ToMs), page ?? 1, options.Value.PageSize);

        var html = new StringBuilder("<h1>Alerts</h1><form class=\"filters\" method=\"get\" action=\"/alerts\"><label>Model <select name=\"model\"><option value=\"\">all</option>");
        foreach (var name in models)
            html.Append(CultureInfo.InvariantCulture, $"<option{(name == model ? " selected" : "")} value=\"{Html.E(name)}\">{Html.E(name)}</option>");
        html.Append(CultureInfo.InvariantCulture, $"</select></label><label>Stream <input name=\"stream\" value=\"{Html.E(stream)}\"></label>")
            .Append(CultureInfo.InvariantCulture, $"<label>From (UTC) <input type=\"datetime-local\" step=\"1\" name=\"from\" value=\"{TimeRange.Field(range.From)}\"></label>")
            .Append(CultureInfo.InvariantCulture, $"<label>To (UTC) <input type=\"datetime-local\" step=\"1\" name=\"to\" value=\"{TimeRange.Field(range.To)}\"></label><button>Filter</button></form>");
        html.Append(Table(alerts.Items));
        html.Append(Html.Pager("/alerts", new Dictionary<string, string?> { ["model"] = model, ["stream"] = stream, ["from"] = from, ["to"] = to }, alerts.Page, alerts.Pages, alerts.Total));
        return Html.Page("Alerts", html.ToString());
    }

    /// <summary>The alerts as table rows linking to their pages.</summary>
    public static string Table(IReadOnlyList<AlertRecord> alerts)
    {
        if (alerts.Count == 0)
            return "<p class=\"empty\">No alert.</p>";
        var html = new StringBuilder("<table class=\"alerts\"><thead><tr><th>Time</th><th>Model</th><th>Stream</th><th>Window</th><th>Combined p</th><th>Rejected layers</th><th>Severity</th><th></th></tr></thead><tbody>");
        foreach (var a in alerts)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Time(a.Time)}</td><td>{Html.E(a.Model)}</td><td><a href=\"{Html.E(Html.StreamUrl(a.Model, a.Stream))}\">{Html.E(a.Stream)}</a></td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Html.E(a.WindowId)}</td><td>{Html.P(a.CombinedPValue)}</td><td>{Html.E(string.Join(", ", a.RejectedLayers))}</td><td>{Html.E(a.Severity)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><a class=\"open-alert\" href=\"{Html.E(Html.AlertUrl(a.AlertId))}\">open</a></td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
