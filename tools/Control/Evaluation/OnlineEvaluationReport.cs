using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace Streaming.Control.Evaluation;

/// <summary>What `control evaluate-online` measured: ERT on clean streams against the configured one, and detection delays.</summary>
public sealed record OnlineEvaluationReport(
    OnlineEvaluationOptions Options,
    IReadOnlyList<string> Layers,
    IReadOnlyList<long> CleanRunLengths,
    long CleanEvents,
    IReadOnlyList<OnlineAttackResult> Attacks,
    IReadOnlyList<IReadOnlyList<double>> Trace,
    int TraceChangeAt,
    TimeSpan CalibrationTime,
    double EventsPerSecond)
{
    public double MeasuredErt => CleanRunLengths.Count == 0 ? double.NaN : CleanRunLengths.Average();

    /// <summary>95 % interval of the mean run length (normal approximation; run lengths are about geometric).</summary>
    public (double Low, double High) MeasuredErtInterval
    {
        get
        {
            if (CleanRunLengths.Count < 2) return (double.NaN, double.NaN);
            double mean = MeasuredErt;
            double sd = Math.Sqrt(CleanRunLengths.Sum(r => (r - mean) * (r - mean)) / (CleanRunLengths.Count - 1));
            double half = 1.96 * sd / Math.Sqrt(CleanRunLengths.Count);
            return (mean - half, mean + half);
        }
    }

    /// <summary>Writes report.md, report.json and online-trace.png into <paramref name="folder"/>; returns the markdown.</summary>
    public string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var (low, high) = MeasuredErtInterval;
        var md = new StringBuilder();
        var o = Options;
        md.AppendLine(CultureInfo.InvariantCulture, $"Online MMD detector: window W {o.WindowSize}, configured ERT {o.ExpectedRunTime:0}, {o.Bootstraps} bootstraps, layers {string.Join(", ", Layers)}; calibration {CalibrationTime.TotalSeconds:F1} s; {EventsPerSecond:N0} events/s per stream update (all layers).");
        md.AppendLine();
        md.AppendLine("| clean traffic | value |");
        md.AppendLine("| --- | --- |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| configured ERT (events between false alarms) | {o.ExpectedRunTime:0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| measured ERT (mean run length, {CleanRunLengths.Count} false alarms in {CleanEvents:N0} events) | {MeasuredErt:F0} (95 % CI {low:F0}-{high:F0}) |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| attack (after {o.Warmup} clean events) | detected within {o.MaxDelay} | mean delay | median | p90 |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var a in Attacks)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {a.Attack} {a.Strength} | {a.DetectedShare:P0} of {a.Runs} | {a.MeanDelay:F1} | {a.MedianDelay:F0} | {a.P90Delay:F0} |");

        var text = md.ToString();
        File.WriteAllText(Path.Combine(folder, "report.md"), text);
        File.WriteAllText(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(new
        {
            window = o.WindowSize,
            configured_ert = o.ExpectedRunTime,
            bootstraps = o.Bootstraps,
            measured_ert = MeasuredErt,
            measured_ert_ci95 = new[] { low, high },
            false_alarms = CleanRunLengths.Count,
            clean_events = CleanEvents,
            events_per_second = EventsPerSecond,
            attacks = Attacks.Select(a => new { attack = a.Attack, strength = a.Strength, runs = a.Runs, detected_share = a.DetectedShare, mean_delay = a.MeanDelay, median_delay = a.MedianDelay, p90_delay = a.P90Delay }),
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        SaveTrace(Path.Combine(folder, "online-trace.png"));
        return text;
    }

    private void SaveTrace(string path)
    {
        var plot = new Plot();
        var x = Enumerable.Range(1, Trace.Count).Select(i => (double)i).ToArray();
        for (int l = 0; l < Layers.Count; l++)
        {
            var scatter = plot.Add.Scatter(x, Trace.Select(step => step[l]).ToArray());
            scatter.LegendText = Layers[l];
            scatter.LineWidth = 1;
            scatter.MarkerSize = 0;
        }
        var alarm = plot.Add.HorizontalLine(1);
        alarm.LegendText = "threshold (alarm above)";
        alarm.LinePattern = LinePattern.Dashed;
        var change = plot.Add.VerticalLine(TraceChangeAt + 0.5);
        change.LegendText = $"attack starts ({Attacks.FirstOrDefault()?.Attack} {Attacks.FirstOrDefault()?.Strength})";
        change.LinePattern = LinePattern.Dotted;
        plot.Title($"Online MMD: MMD² / threshold per layer (W {Options.WindowSize}, ERT {Options.ExpectedRunTime:0}); the detector restarts after each alarm");
        plot.XLabel("event of the stream");
        plot.YLabel("MMD² / threshold");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 450);
    }
}
