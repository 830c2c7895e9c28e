using System.Text.Json;
using Microsoft.Playwright;
using Streaming.Control.Demo;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.Lab.Data;
using Streaming.LocalStack;
using Xunit.Abstractions;

namespace Streaming.IntegrationTests.Console;

/// <summary>
/// The console in a real browser (Debian's chromium, headless, driven by Playwright) against the real
/// pipeline as processes (embedded Kafka, redis-server, rabbitmq-server, the services and the console),
/// fed clean MNIST images and then FGSM-attacked ones on one stream: the streams page lists it, the
/// stream's detection-rate chart is drawn from windows that show the attack phase, and an alert opens
/// with its input images loaded. Screenshots go to .artifacts/screenshots/ (docs/ holds copies).
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class ConsoleBrowserTests(ITestOutputHelper output)
{
    private const int Window = 20;
    private const int WindowsPerPhase = 5;
    private const string Stream = "browser-demo";
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Console_CleanThenAttackedTraffic_ChartShowsTheAttackAndAnAlertShowsItsImages()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run infra/install-deps.sh (it installs Debian's chromium).");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var ct = cts.Token;
        var paths = RepoPaths.Discover();
        var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
        ModelCache.Ensure(paths, ct);
        var sample = CleanSample.Draw(test.Count);
        var referencePath = Path.Combine(paths.Artifacts, "test-console", "reference.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(referencePath)!);
        sample.EnsureReference(paths.DefaultModelDirectory, test, referencePath);
        const int perPhase = Window * WindowsPerPhase;
        var traffic = sample.TrafficImages(test, 2 * perPhase);
        var (attacked, _) = ModelCache.Attack(paths, traffic, perPhase, perPhase, "fgsm", 0.3);

        var settings = new PipelineSettings
        {
            ModelDirectory = paths.DefaultModelDirectory,
            ReferencePath = referencePath,
            WindowSize = Window,
            WindowSlide = Window,
            Permutations = 200,
            LogDirectory = Path.Combine(paths.Artifacts, "test-console", "logs"),
            WithConsole = true,
        };
        await using var pipeline = await EmbeddedPipeline.StartAsync(paths, settings, ct);
        var console = pipeline.ConsoleUrl!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var sender = new TrafficSender(http, pipeline.InferenceUrl);
        await sender.SendAsync(Stream, traffic.Pixels[..(perPhase * MnistDataset.PixelsPerImage)], perPhase, Window, new Dictionary<string, string> { ["attack"] = "none" }, null, ct);
        await sender.SendAsync(Stream, attacked, perPhase, Window, new Dictionary<string, string> { ["attack"] = "fgsm" }, null, ct);
        await WaitForWindowsAsync(http, console, 2 * WindowsPerPhase, ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var screenshots = Path.Combine(paths.Artifacts, "screenshots");
        Directory.CreateDirectory(screenshots);

        // The streams page lists the stream.
        await page.GotoAsync(new Uri(console, "/").ToString());
        var link = page.Locator($"table.streams a:text-is('{Stream}')");
        await link.WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "console-streams.png"), FullPage = true });

        // The stream's charts: drawn (uPlot canvases) from the windows, which show the attack phase.
        await link.ClickAsync();
        await page.WaitForFunctionAsync($"() => window.consoleCharts && window.consoleCharts.windows.length >= {2 * WindowsPerPhase}");
        Assert.Equal(1, await page.Locator("#rate-chart canvas").CountAsync());
        Assert.Equal(1, await page.Locator("#pvalue-chart canvas").CountAsync());
        var rejected = await page.EvaluateAsync<bool[]>("() => window.consoleCharts.windows.map(w => w.alert)");
        var rates = await page.EvaluateAsync<double[]>("() => window.consoleCharts.rates");
        output.WriteLine("windows rejected: " + string.Join(" ", rejected.Select(r => r ? "X" : ".")));
        output.WriteLine("rolling rate: " + string.Join(" ", rates.Select(r => r.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))));
        var clean = rejected[..WindowsPerPhase].Count(r => r);
        var attack = rejected[WindowsPerPhase..].Count(r => r);
        Assert.True(clean <= 2, $"{clean} of {WindowsPerPhase} clean windows rejected");
        Assert.True(attack >= 4, $"only {attack} of {rejected.Length - WindowsPerPhase} attacked windows rejected");
        Assert.True(rates[^1] > rates[WindowsPerPhase - 1], $"the rolling rate did not rise with the attack: {rates[WindowsPerPhase - 1]} then {rates[^1]}");
        // The page opens its event stream after it draws; the status says "connecting…" until the stream's open event.
        await page.WaitForFunctionAsync("() => document.querySelector('#live-status').textContent.includes('live updates: on')");
        Assert.Contains("live updates: on", await page.Locator("#live-status").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "console-stream.png"), FullPage = true });

        // An alert opens and shows its input images, loaded (not broken).
        await page.GotoAsync(new Uri(console, $"/alerts?model={Uri.EscapeDataString(ModelName(paths))}&stream={Stream}").ToString());
        await page.Locator("a.open-alert").First.ClickAsync();
        await page.Locator("h2:text-is('Suspicious events')").WaitForAsync();
        await page.Locator("img.input").First.WaitForAsync();
        var widths = await page.EvaluateAsync<int[]>("() => Promise.all(Array.from(document.querySelectorAll('img.input')).slice(0, 4).map(i => i.decode().then(() => i.naturalWidth, () => 0)))");
        Assert.NotEmpty(widths);
        Assert.All(widths, w => Assert.Equal(28, w));
        Assert.Contains("control replay", await page.Locator("pre.replay").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "console-alert.png"), FullPage = false });
    }

    private static string ModelName(RepoPaths paths) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(paths.DefaultModelDirectory, "manifest.json"))).RootElement.GetProperty("name").GetString()!;

    private static async Task WaitForWindowsAsync(HttpClient http, Uri console, int count, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        var model = "";
        while (DateTime.UtcNow < deadline)
        {
            model = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Discover().DefaultModelDirectory, "manifest.json"))).RootElement.GetProperty("name").GetString()!;
            using var response = await http.GetAsync(new Uri(console, $"/api/windows?model={Uri.EscapeDataString(model)}&stream={Stream}"), ct);
            if (response.IsSuccessStatusCode && JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetArrayLength() >= count)
                return;
            await Task.Delay(500, ct);
        }

        throw new TimeoutException($"The console did not record {count} windows of {Stream} (model {model}) in time.");
    }
}
