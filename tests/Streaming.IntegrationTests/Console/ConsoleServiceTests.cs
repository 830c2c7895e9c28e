using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Console.History;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.Ml.Images;
using Streaming.Redis;

namespace Streaming.IntegrationTests.Console;

/// <summary>
/// The console over HTTP, fed through the embedded Kafka cluster and keeping its history in a real
/// redis-server: what the pages show, the 404 page, pagination and search, redeliveries, input
/// images (available and expired) and server-sent live updates.
/// </summary>
[Collection(RedisFixtureCollection.Name)]
public sealed partial class ConsoleServiceTests(RedisFixture redis)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StreamsPage_DetectionsConsumed_ListsEachStreamWithItsState()
    {
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, Prefix());

        await kafka.ProduceAsync(ConsoleKafka.Detection("tenant-a", 1, 0.4, alert: false));
        await kafka.ProduceAsync(ConsoleKafka.Detection("tenant-a", 2, 0.001, alert: true));
        await kafka.ProduceAsync(ConsoleKafka.Detection("tenant-b", 1, 0.7, alert: false));
        var html = await WaitForPageAsync(console, "/", page => page.Contains("tenant-b", StringComparison.Ordinal) && page.Contains("tenant-a-w2", StringComparison.Ordinal));

        var rows = Rows(html);
        var a = Assert.Single(rows, r => r.Contains(">tenant-a</a>", StringComparison.Ordinal));
        Assert.Contains("tenant-a-w2", a, StringComparison.Ordinal);
        Assert.Contains("rejected", a, StringComparison.Ordinal);
        Assert.Matches("<td>2</td><td>1</td><td>0</td>", a); // windows tested, rejected, alerts
        var b = Assert.Single(rows, r => r.Contains(">tenant-b</a>", StringComparison.Ordinal));
        Assert.Contains("consistent", b, StringComparison.Ordinal);
        Assert.Matches("<td>1</td><td>0</td><td>0</td>", b);
    }

    [Fact]
    public async Task StreamPage_KnownStream_EmbedsItsWindowsInTimeOrderWithAlphaAndCleanBaseline()
    {
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, Prefix());

        await kafka.ProduceAsync(ConsoleKafka.Detection("s", 2, 0.001, alert: true, attackShare: 1));
        await kafka.ProduceAsync(ConsoleKafka.Detection("s", 1, 0.5, alert: false));
        await kafka.ProduceAsync(ConsoleKafka.Detection("clean", 1, 0.01, alert: true));
        await kafka.ProduceAsync(ConsoleKafka.Detection("clean", 2, 0.6, alert: false));
        await WaitForPageAsync(console, "/", page => page.Contains("s-w1", StringComparison.Ordinal) && page.Contains("clean-w2", StringComparison.Ordinal));

        var response = await console.Http.GetAsync("/stream?model=mnist-cnn&stream=s");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"rate-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"pvalue-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("/assets/lib/uPlot.iife.min.js", html, StringComparison.Ordinal);
        var config = JsonDocument.Parse(ConfigJson().Match(html).Groups["json"].Value).RootElement;
        Assert.Equal(0.05, config.GetProperty("alpha").GetDouble());
        // Clean baseline of the model: windows without attack-labelled events (s-w1, clean-w1, clean-w2), one of them rejected.
        Assert.Equal(1.0 / 3, config.GetProperty("baseline").GetDouble(), 6);
        var windows = config.GetProperty("windows").EnumerateArray().ToList();
        Assert.Equal(["s-w1", "s-w2"], windows.Select(w => w.GetProperty("windowId").GetString()));
        Assert.Equal([false, true], windows.Select(w => w.GetProperty("alert").GetBoolean()));
        Assert.Equal(0.001, windows[1].GetProperty("layers").GetProperty("fc1").GetDouble());
        Assert.Equal("/api/live?model=mnist-cnn&stream=s", config.GetProperty("live").GetString());
    }

    [Theory]
    [InlineData("/stream?model=mnist-cnn&stream=nobody", "Unknown stream &#x27;nobody&#x27; of model &#x27;mnist-cnn&#x27;")]
    [InlineData("/stream?model=other-model&stream=s", "Unknown stream &#x27;s&#x27; of model &#x27;other-model&#x27;")]
    [InlineData("/alerts?model=other-model", "Unknown model &#x27;other-model&#x27;")]
    [InlineData("/alert?id=no-such%2Falert", "Unknown alert &#x27;no-such/alert&#x27;")]
    [InlineData("/no/such/page", "Nothing at /no/such/page")]
    public async Task Page_UnknownModelStreamOrAlert_Returns404PageThatSaysSo(string path, string message)
    {
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, Prefix());
        await kafka.ProduceAsync(ConsoleKafka.Detection("s", 1, 0.5, alert: false));
        await WaitForPageAsync(console, "/", page => page.Contains("s-w1", StringComparison.Ordinal));

        var response = await console.Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamPage_MalformedTimeFilter_Returns400NamingIt()
    {
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, Prefix());

        var response = await console.Http.GetAsync("/stream?model=m&stream=s&from=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from &#x27;yesterday&#x27; is not a time", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detections_SameWindowDeliveredTwice_CountedOnce()
    {
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, Prefix());
        var detection = ConsoleKafka.Detection("dup", 1, 0.001, alert: true);

        await kafka.ProduceAsync(detection);
        await kafka.ProduceAsync(detection);
        await kafka.ProduceAsync(ConsoleKafka.Detection("dup", 2, 0.3, alert: false));
        await WaitForPageAsync(console, "/", page => page.Contains("dup-w2", StringComparison.Ordinal));

        var reader = console.App.Services.GetRequiredService<HistoryReader>();
        var state = await reader.StateAsync(ConsoleKafka.Model, "dup");
        Assert.Equal(2, state!.Windows);
        Assert.Equal(1, state.AlertWindows);
        Assert.Equal(["dup-w1", "dup-w2"], (await reader.WindowsAsync(ConsoleKafka.Model, "dup", null, null)).Select(w => w.WindowId));
    }

    [Fact]
    public async Task StreamsPage_ThousandsOfStreams_ShowsOnePageAndFindsOneBySearch()
    {
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, Prefix(), new Dictionary<string, string?> { ["Console:PageSize"] = "50" });
        var writer = console.App.Services.GetRequiredService<HistoryWriter>();
        for (var i = 0; i < 3000; i++)
            await writer.RecordAsync(ConsoleKafka.Detection($"stream-{i:D5}", 1, 0.5, alert: false));

        var first = await console.Http.GetStringAsync("/");
        var third = await console.Http.GetStringAsync("/?page=3");
        var search = await console.Http.GetStringAsync("/?q=stream-01234");

        Assert.Equal(50, Rows(first).Count);
        Assert.Contains("3000 in all · page 1 of 60", first, StringComparison.Ordinal);
        Assert.Contains("page=2", first, StringComparison.Ordinal);
        Assert.Equal(50, Rows(third).Count);
        Assert.Empty(Rows(first).Intersect(Rows(third)));
        var found = Assert.Single(Rows(search));
        Assert.Contains(">stream-01234</a>", found, StringComparison.Ordinal);
        Assert.Contains("1 in all", search, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertPage_OneInputCapturedOneExpired_ShowsTheImageAndSaysTheOtherIsUnavailable()
    {
        var prefix = Prefix();
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, prefix);
        var pixels = new float[784];
        pixels[14 * 28 + 14] = 1f;
        await redis.Connection.GetDatabase().HashSetAsync(CapturedInputs.Key(prefix + "input:", "e-kept"),
        [
            new(CapturedInputs.ImageField, GrayscalePng.Encode(pixels, 28, 28)),
            new(CapturedInputs.PredictedField, 7),
            new(CapturedInputs.ConfidenceField, "0.875"),
        ]);

        await kafka.ProduceAsync(ConsoleKafka.Detection("s", 1, 0.001, alert: true));
        await kafka.ProduceAsync(ConsoleKafka.Alert("model/s/alert-1", "s", 1, ("e-gone", 0.02), ("e-kept", 0.001)));
        var html = await WaitForPageAsync(console, "/alert?id=model%2Fs%2Falert-1", page => page.Contains("Suspicious events", StringComparison.Ordinal));

        Assert.Contains("fc1", html, StringComparison.Ordinal);
        Assert.Contains("0.0010", html, StringComparison.Ordinal);
        // Ranked by score: e-kept (p 0.001) first.
        Assert.True(html.IndexOf("e-kept", StringComparison.Ordinal) < html.IndexOf("e-gone", StringComparison.Ordinal));
        Assert.Contains("src=\"/inputs/e-kept.png\"", html, StringComparison.Ordinal);
        Assert.Contains("predicted <b>7</b> (87.5% confidence)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"/inputs/e-gone.png\"", html, StringComparison.Ordinal);
        Assert.Contains("image unavailable", html, StringComparison.Ordinal);
        Assert.Contains("control replay --bootstrap", html, StringComparison.Ordinal);
        Assert.Contains("--stream &#x27;s&#x27; --from 2026-03-14T08:55:01.000Z --to 2026-03-14T09:00:02.000Z", html, StringComparison.Ordinal);

        var image = await console.Http.GetAsync("/inputs/e-kept.png");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await image.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(HttpStatusCode.NotFound, (await console.Http.GetAsync("/inputs/e-gone.png")).StatusCode);
    }

    [Fact]
    public async Task AlertsPage_FilteredByStreamAndTime_ListsOnlyMatchingAlertsNewestFirst()
    {
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, Prefix());
        await kafka.ProduceAsync(ConsoleKafka.Detection("a", 1, 0.001, alert: true));
        await kafka.ProduceAsync(ConsoleKafka.Detection("b", 1, 0.001, alert: true));
        await kafka.ProduceAsync(ConsoleKafka.Alert("a-early", "a", 10));
        await kafka.ProduceAsync(ConsoleKafka.Alert("a-late", "a", 100));
        await kafka.ProduceAsync(ConsoleKafka.Alert("b-1", "b", 50));
        await WaitForPageAsync(console, "/alerts", page => page.Contains("a-early", StringComparison.Ordinal) && page.Contains("a-late", StringComparison.Ordinal) && page.Contains("b-1", StringComparison.Ordinal));

        var all = await console.Http.GetStringAsync("/alerts");
        var streamA = await console.Http.GetStringAsync("/alerts?model=mnist-cnn&stream=a");
        var late = await console.Http.GetStringAsync("/alerts?model=mnist-cnn&from=2026-03-14T09:00:30");

        Assert.True(all.IndexOf("a-late", StringComparison.Ordinal) < all.IndexOf("b-1", StringComparison.Ordinal));
        Assert.True(all.IndexOf("b-1", StringComparison.Ordinal) < all.IndexOf("a-early", StringComparison.Ordinal));
        Assert.Contains("a-early", streamA, StringComparison.Ordinal);
        Assert.DoesNotContain("b-1", streamA, StringComparison.Ordinal);
        Assert.Contains("a-late", late, StringComparison.Ordinal);
        Assert.Contains("b-1", late, StringComparison.Ordinal);
        Assert.DoesNotContain("a-early", late, StringComparison.Ordinal);
        var state = await console.App.Services.GetRequiredService<HistoryReader>().StateAsync(ConsoleKafka.Model, "a");
        Assert.Equal(2, state!.Alerts);
    }

    [Fact]
    public async Task LiveEndpoint_WindowRecordedWhileConnected_IsPushedAsServerSentEvent()
    {
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, Prefix());
        await kafka.ProduceAsync(ConsoleKafka.Detection("live", 1, 0.5, alert: false));
        await WaitForPageAsync(console, "/", page => page.Contains("live-w1", StringComparison.Ordinal));

        using var timeout = new CancellationTokenSource(Timeout);
        using var response = await console.Http.GetAsync("/api/live?model=mnist-cnn&stream=live", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        await kafka.ProduceAsync(ConsoleKafka.Detection("other", 1, 0.5, alert: false));
        await kafka.ProduceAsync(ConsoleKafka.Detection("live", 2, 0.002, alert: true));

        string? data = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                data = line["data: ".Length..];
        }

        var point = JsonDocument.Parse(data!).RootElement;
        Assert.Equal("live-w2", point.GetProperty("windowId").GetString());
        Assert.True(point.GetProperty("alert").GetBoolean());
    }

    [Fact]
    public async Task Start_WindowsPerStreamOutOfRange_FailsNamingTheKey()
    {
        using var kafka = new ConsoleKafka();
        await using var app = ConsoleHost.Build(kafka.BootstrapServers, redis.ConnectionString, Prefix(), new Dictionary<string, string?> { ["Console:WindowsPerStream"] = "1" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Console:WindowsPerStream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_ChartingLibraryAndScript_AreServedByTheConsoleItself()
    {
        using var kafka = new ConsoleKafka();
        await using var console = await ConsoleHost.StartAsync(kafka.BootstrapServers, redis.ConnectionString, Prefix());

        var uplot = await console.Http.GetAsync("/assets/lib/uPlot.iife.min.js");
        var script = await console.Http.GetStringAsync("/assets/console.js");

        Assert.Equal(HttpStatusCode.OK, uplot.StatusCode);
        Assert.Contains("uPlot", await uplot.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("EventSource", script, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await console.Http.GetAsync("/assets/../Console.dll")).StatusCode);
    }

    private static string Prefix() => "console-test-" + Guid.NewGuid().ToString("N")[..8] + ":";

    private static List<string> Rows(string html) => [.. TableRow().Matches(html[html.IndexOf("<tbody>", StringComparison.Ordinal)..]).Select(m => m.Value)];

    private static async Task<string> WaitForPageAsync(ConsoleHost console, string path, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var html = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await console.Http.GetAsync(path);
            html = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && condition(html)) return html;
            await Task.Delay(200);
        }

        throw new TimeoutException($"{path} did not show what was expected within {Timeout}; last answer:\n{html}");
    }

    [GeneratedRegex("<tr><td>.*?</tr>")]
    private static partial Regex TableRow();

    [GeneratedRegex("<script id=\"console-config\" type=\"application/json\">(?<json>.*?)</script>")]
    private static partial Regex ConfigJson();
}
