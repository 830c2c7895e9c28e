using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Streaming.Console.Pages;

/// <summary>The HTML every page shares: encoding, the layout, links and numbers. Every value from outside goes through <see cref="E"/>.</summary>
public static class Html
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>HTML-encodes text (element content and quoted attribute values).</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A URL query component.</summary>
    public static string Q(string? text) => Uri.EscapeDataString(text ?? "");

    public static string StreamUrl(string model, string stream) => $"/stream?model={Q(model)}&stream={Q(stream)}";

    /// <summary>An alert's page; its id is in the query because alert ids hold slashes (they name their window).</summary>
    public static string AlertUrl(string alertId) => $"/alert?id={Q(alertId)}";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(long unixMs) => Time(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    public static string P(double? value) => value is { } v ? v.ToString(v < 0.001 ? "0.00e+0" : "0.0000", CultureInfo.InvariantCulture) : "–";

    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";

    public static IResult Page(string title, string body, int status = StatusCodes.Status200OK, string scripts = "")
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · Streaming console</title>")
            .Append("<link rel=\"stylesheet\" href=\"/assets/lib/uPlot.min.css\"><link rel=\"stylesheet\" href=\"/assets/console.css\"></head><body>")
            .Append("<header><a class=\"brand\" href=\"/\">Streaming console</a><nav><a href=\"/\">Streams</a><a href=\"/alerts\">Alerts</a></nav></header><main>")
            .Append(body)
            .Append("</main>")
            .Append(scripts)
            .Append("</body></html>")
            .ToString();
        return Results.Content(html, ContentType, Encoding.UTF8, status);
    }

    /// <summary>The page that says what was not found (unknown model, stream or alert), with status 404.</summary>
    public static IResult NotFound(string what, string detail) =>
        Page("Not found", $"<h1>Not found</h1><p class=\"notfound\">{E(what)}</p><p>{E(detail)}</p><p><a href=\"/\">All streams</a> · <a href=\"/alerts\">All alerts</a></p>", StatusCodes.Status404NotFound);

    /// <summary>A request the page cannot answer (a malformed filter), with status 400.</summary>
    public static IResult BadRequest(string message) =>
        Page("Bad request", $"<h1>Bad request</h1><p class=\"notfound\">{E(message)}</p><p><a href=\"/\">All streams</a></p>", StatusCodes.Status400BadRequest);

    /// <summary>Previous / next links keeping the other query values.</summary>
    public static string Pager(string path, IReadOnlyDictionary<string, string?> query, int page, long pages, long total)
    {
        string Link(int target) => path + "?" + string.Join("&", query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => $"{q.Key}={Q(q.Value)}").Append($"page={target}"));
        var html = new StringBuilder("<nav class=\"pager\">");
        html.Append(CultureInfo.InvariantCulture, $"<span>{total} in all · page {page} of {pages}</span>");
        if (page > 1) html.Append(CultureInfo.InvariantCulture, $"<a rel=\"prev\" href=\"{E(Link(page - 1))}\">← previous</a>");
        if (page < pages) html.Append(CultureInfo.InvariantCulture, $"<a rel=\"next\" href=\"{E(Link(page + 1))}\">next →</a>");
        return html.Append("</nav>").ToString();
    }
}
