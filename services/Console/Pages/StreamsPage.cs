using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Streaming.Console.History;
using Streaming.Console.Options;

namespace Streaming.Console.Pages;

/// <summary>GET /: every model and stream with its current state, filtered by model and a search, a page at a time.</summary>
public static class StreamsPage
{
    public static async Task<IResult> HandleAsync(string? model, string? q, int? page, HistoryReader history, IOptions<ConsoleOptions> options)
    {
        var models = await history.ModelsAsync();
        var streams = await history.StreamsAsync(model, q, page ?? 1, options.Value.PageSize);
        var html = new StringBuilder("<h1>Models and streams</h1>");
        html.Append("<form class=\"filters\" method=\"get\" action=\"/\"><label>Model <select name=\"model\"><option value=\"\">all</option>");
        foreach (var name in models)
            html.Append(CultureInfo.InvariantCulture, $"<option{(name == model ? " selected" : "")} value=\"{Html.E(name)}\">{Html.E(name)}</option>");
        html.Append(CultureInfo.InvariantCulture, $"</select></label><label>Search <input type=\"search\" name=\"q\" value=\"{Html.E(q)}\" placeholder=\"stream name\"></label><button>Filter</button></form>");
        if (streams.Total == 0)
        {
            html.Append("<p class=\"empty\">No stream has been tested yet").Append(string.IsNullOrEmpty(q) && string.IsNullOrEmpty(model) ? "" : " that matches the filter").Append(".</p>");
            return Html.Page("Streams", html.ToString());
        }

        html.Append("<table class=\"streams\"><thead><tr><th>Model</th><th>Stream</th><th>Last window</th><th>Last decision</th><th>Combined p</th><th>Windows tested</th><th>Rejected windows</th><th>Alerts</th><th>Updated</th></tr></thead><tbody>");
        foreach (var s in streams.Items)
        {
            var decision = s.LastAlert ? "<span class=\"badge alert\">rejected</span>" : "<span class=\"badge ok\">consistent</span>";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.E(s.Model)}</td><td><a href=\"{Html.E(Html.StreamUrl(s.Model, s.Stream))}\">{Html.E(s.Stream)}</a></td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Html.E(s.LastWindowId)}</td><td>{decision}</td><td>{Html.P(s.LastPValue)}</td><td>{s.Windows}</td><td>{s.AlertWindows}</td><td>{s.Alerts}</td><td>{Html.Time(s.LastAt)}</td></tr>");
        }

        html.Append("</tbody></table>");
        html.Append(Html.Pager("/", new Dictionary<string, string?> { ["model"] = model, ["q"] = q }, streams.Page, streams.Pages, streams.Total));
        return Html.Page("Streams", html.ToString());
    }
}
