using System.Text.Json;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.LocalStack;

namespace Streaming.IntegrationTests.Control;

/// <summary>
/// <c>control redteam</c> as a user runs it: the built CLI as a process, the embedded pipeline (mock Kafka,
/// redis-server, rabbitmq-server, the four services) underneath, a short configuration.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class RedTeamProcessTests(TrainedModelFixture model)
{
    [Fact]
    public async Task RedTeam_QuickMixAndSpread_WritesReportsWhoseFiguresAreConsistent()
    {
        Assert.True(File.Exists(Path.Combine(model.Paths.DefaultModelDirectory, "manifest.json")));
        var folder = Path.Combine(Path.GetTempPath(), $"redteam-{Guid.NewGuid():N}");

        var run = await ControlProcess.RunAsync(TimeSpan.FromMinutes(5), "redteam", "--quick", "--images", "200", "--out", folder);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("mix-pgd-20%", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("spread-pgd-10%", run.StandardOutput, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(folder, "report.md")).Length > 0);
        var png = await File.ReadAllBytesAsync(Path.Combine(folder, "redteam.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "report.json")));
        var strategies = json.RootElement.GetProperty("strategies").EnumerateArray().ToDictionary(s => s.GetProperty("strategy").GetString()!);
        Assert.Equal(["mix-pgd-20%", "spread-pgd-10%"], strategies.Keys.Order());
        foreach (var (name, s) in strategies)
        {
            var windows = Int(s, "windows");
            var alerts = Int(s, "alerts");
            var adversarial = Int(s, "adversarial_images");
            Assert.True(windows > 0, name);
            Assert.Equal(Int(s, "expected_stream_windows"), Int(s, "stream_windows"));
            Assert.Equal(windows, Int(s, "stream_windows") + Int(s, "other_windows"));
            Assert.Equal(windows, Int(s, "attacked_windows") + Int(s, "clean_windows"));
            Assert.Equal(alerts, Int(s, "attacked_window_alerts") + Int(s, "clean_window_alerts"));
            Assert.InRange(alerts, 0, windows);
            Assert.InRange(adversarial, 1, Int(s, "images") - 1);
            // Not bounded by this strategy's own adversarial inputs: a model-wide window of its time may flag an
            // earlier strategy's (still true positives for precision; recall counts only its own).
            Assert.InRange(Int(s, "flagged_adversarial"), 0, Int(s, "flagged_events"));
            AssertShareOrNull(s, "precision");
            AssertShareOrNull(s, "detection_rate");
            AssertShareOrNull(s, "false_alarm_rate");
            Assert.InRange(s.GetProperty("recall").GetDouble(), 0, 1);
            if (s.GetProperty("time_to_first_alert_ms").ValueKind != JsonValueKind.Null)
            {
                Assert.True(s.GetProperty("time_to_first_alert_ms").GetDouble() >= 0, name);
                Assert.InRange(Int(s, "adversarial_events_to_first_alert"), 1, adversarial);
            }

            if (alerts == 0) Assert.Equal(JsonValueKind.Null, s.GetProperty("precision").ValueKind);
        }

        // 40 of 200 images at random places: every window of the stream holds adversarial inputs.
        var mix = strategies["mix-pgd-20%"];
        Assert.Equal(40, Int(mix, "adversarial_images"));
        Assert.Equal(Int(mix, "windows"), Int(mix, "attacked_windows"));
        // Spread: the clean streams' own windows hold no adversarial input (each one went to a stream of its own).
        var spread = strategies["spread-pgd-10%"];
        Assert.True(Int(spread, "clean_windows") >= Int(spread, "stream_windows"));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task RedTeam_RunningPipelineUnreachable_OneErrorLineNamingTheBrokerAndExitCode2()
    {
        var broker = $"127.0.0.1:{FreePort.Next()}";

        var run = await ControlProcess.RunAsync("redteam", "--bootstrap", broker, "--url", $"http://127.0.0.1:{FreePort.Next()}/");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(broker, line, StringComparison.Ordinal);
    }

    private static int Int(JsonElement strategy, string property) => strategy.GetProperty(property).GetInt32();

    private static void AssertShareOrNull(JsonElement strategy, string property)
    {
        var value = strategy.GetProperty(property);
        if (value.ValueKind != JsonValueKind.Null) Assert.InRange(value.GetDouble(), 0, 1);
    }
}
