using System.Text.Json;
using Streaming.Control.RedTeam;

namespace Streaming.UnitTests.Control.RedTeam;

public sealed class RedTeamReportTests
{
    [Fact]
    public void Write_StrategiesWithAndWithoutAlerts_MarkdownJsonWithNullsAndPng()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"redteam-report-{Guid.NewGuid():N}");
        var report = new RedTeamReport(
            "run1",
            new RedTeamSettings("the embedded pipeline", "small-cnn 1", 100, 50, 500, 0.05, 200, 10, 1),
            [new PoolSummary("pgd", 0.3, 200, 1)],
            [
                new StrategyResult { Strategy = "mix-pgd-20%", Family = StrategyFamily.Mix, Attack = "pgd", Epsilon = 0.3, Share = 0.2, Images = 1000, AdversarialImages = 200, Windows = 19, StreamWindows = 19, AttackedWindows = 19, Alerts = 14, AttackedWindowAlerts = 14, DetectionRate = 14 / 19.0, TimeToFirstAlertMs = 1300, AdversarialEventsToFirstAlert = 43, FlaggedEvents = 99, FlaggedAdversarial = 70, Precision = 70 / 99.0, Recall = 0.35 },
                new StrategyResult { Strategy = "spread-pgd-10%", Family = StrategyFamily.Spread, Attack = "pgd", Epsilon = 0.3, Share = 0.1, Images = 1111, AdversarialImages = 111, Windows = 16, StreamWindows = 16, CleanWindows = 16, FalseAlarmRate = 0, Recall = 0 },
            ],
            236);
        try
        {
            var markdown = report.Write(folder);

            Assert.Contains("| mix-pgd-20% | 0.3 | 200 / 1000 | 19 (0) | 14 / 19 (74 %) | - | 1.3 s, 43 adv. | 0.71 (70/99) | 0.35 |", markdown, StringComparison.Ordinal);
            Assert.Contains("| spread-pgd-10% | 0.3 | 111 / 1111 | 16 (0) | - | 0 / 16 (0 %) | never | - | 0.00 |", markdown, StringComparison.Ordinal);
            Assert.Equal(markdown, File.ReadAllText(Path.Combine(folder, RedTeamReport.MarkdownFile)));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, RedTeamReport.JsonFile)));
            var spread = json.RootElement.GetProperty("strategies")[1];
            Assert.Equal("spread", spread.GetProperty("family").GetString());
            Assert.Equal(JsonValueKind.Null, spread.GetProperty("precision").ValueKind);
            Assert.Equal(JsonValueKind.Null, spread.GetProperty("time_to_first_alert_ms").ValueKind);
            Assert.True(new FileInfo(Path.Combine(folder, RedTeamReport.PlotFile)).Length > 1000);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
