using ScottPlot;

namespace Streaming.Control.Replay;

/// <summary>PNG plots of a replay: per-layer p-values over time, and the detection rate over time.</summary>
public static class ReplayPlot
{
    /// <summary>Writes PREFIX-pvalues.png and PREFIX-detection-rate.png; returns their paths.</summary>
    public static IReadOnlyList<string> Save(ReplayReport report, string prefix, double alpha, int rollingWindows = 10)
    {
        if (report.Results.Count == 0) return [];
        var ordered = report.Results.OrderBy(r => r.LastEventTimestamp).ToArray();
        var start = ordered[0].LastEventTimestamp;
        var seconds = ordered.Select(r => (r.LastEventTimestamp - start).TotalSeconds).ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);

        var pvalues = new Plot();
        var streams = ordered.Select(r => r.Stream).Distinct().ToArray();
        foreach (var stream in streams)
        {
            var rows = ordered.Where(r => r.Stream == stream).ToArray();
            var x = rows.Select(r => (r.LastEventTimestamp - start).TotalSeconds).ToArray();
            foreach (var layer in rows[0].LayerPValues.Keys)
            {
                // -log10(p): larger is stronger evidence; p is never 0 (at least 1 / (1 + P)).
                var scatter = pvalues.Add.Scatter(x, rows.Select(r => -Math.Log10(r.LayerPValues.GetValueOrDefault(layer, 1))).ToArray());
                scatter.LegendText = streams.Length == 1 ? layer : $"{stream} {layer}";
                scatter.LineWidth = 1;
            }
        }

        var threshold = pvalues.Add.HorizontalLine(-Math.Log10(alpha / Math.Max(1, ordered[0].LayerPValues.Count)));
        threshold.LegendText = "Bonferroni threshold";
        threshold.LinePattern = LinePattern.Dashed;
        pvalues.Title("Replay: per-layer p-values");
        pvalues.XLabel("seconds since the first window");
        pvalues.YLabel("-log10(p)");
        pvalues.ShowLegend(Alignment.UpperLeft);
        var pvaluePath = prefix + "-pvalues.png";
        pvalues.SavePng(pvaluePath, 900, 450);

        var rate = new Plot();
        var rolling = new double[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            var from = Math.Max(0, i - rollingWindows + 1);
            rolling[i] = ordered[from..(i + 1)].Count(r => r.Alert) / (double)(i - from + 1);
        }

        rate.Add.Scatter(seconds, rolling).LegendText = $"share of alerting windows (last {rollingWindows})";
        var attack = rate.Add.Scatter(seconds, ordered.Select(r => r.AttackShare).ToArray());
        attack.LegendText = "share of attacked events (ground truth)";
        attack.LinePattern = LinePattern.Dotted;
        rate.Title("Replay: detection rate over time");
        rate.XLabel("seconds since the first window");
        rate.Axes.SetLimitsY(0, 1.05);
        rate.ShowLegend(Alignment.UpperLeft);
        var ratePath = prefix + "-detection-rate.png";
        rate.SavePng(ratePath, 900, 450);
        return [pvaluePath, ratePath];
    }
}
