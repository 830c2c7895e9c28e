using System.Globalization;
using System.Text;
using ScottPlot;
using Streaming.Lab.Evaluation;

namespace Streaming.Control.Evaluation;

/// <summary>Writes the evaluation as a markdown table (report.md) and PNG plots into a folder.</summary>
public static class EvaluationReport
{
    public static string Write(string folder, IReadOnlyList<string> layers, IReadOnlyList<ConfigurationResult> results, EvaluationOptions options, TimeSpan elapsed, IReadOnlyList<PerInputAucResult>? perInput = null)
    {
        Directory.CreateDirectory(folder);
        var columns = layers.Append(DetectionEvaluator.Combined).ToArray();
        var clean = results[0];
        var markdown = new StringBuilder();
        markdown.AppendLine(Invariant($"Rejection rate over {options.Tests} tests of {options.SampleSize} clean vs {options.SampleSize} samples, each layer at α = {options.Alpha}, ") + Invariant(
            $"combined = Bonferroni over the {layers.Count} layers; P = {options.Permutations} permutations; kernel: {(options.MultiBandwidth ? "multi-bandwidth (σ·2^-2..2^2)" : "Gaussian, median-heuristic σ")}. ") + Invariant(
            $"AUC: MMD² (combined: −Bonferroni p) of these tests against the clean-vs-clean tests. Measured in {elapsed.TotalSeconds:0} s."));
        markdown.AppendLine();
        markdown.AppendLine("| second sample | " + string.Join(" | ", columns) + " |");
        markdown.AppendLine("| --- |" + string.Concat(columns.Select(_ => " --- |")));
        foreach (var result in results)
        {
            var cells = columns.Select(c =>
            {
                int rejected = result.Rejections[c];
                double rate = rejected / (double)result.Tests;
                if (result == clean)
                {
                    var (lower, upper) = WilsonInterval.Compute(rejected, result.Tests);
                    return Invariant($"{rate:0.00} [{lower:0.00}, {upper:0.00}]");
                }
                return Invariant($"{rate:0.00} (AUC {RocCurve.Auc(result.Statistics[c], clean.Statistics[c]):0.00})");
            });
            markdown.AppendLine($"| {result.Name}{(result == clean ? " (false-positive rate, 95% Wilson CI)" : "")} | {string.Join(" | ", cells)} |");
        }
        if (perInput is { Count: > 0 })
            AppendPerInput(markdown, layers, perInput, options);
        markdown.AppendLine();
        markdown.AppendLine("Plots: `detection-vs-strength.png`, `detection-vs-share.png`, `roc-*.png` (one per attacked configuration, a curve per layer).");
        var text = markdown.ToString();
        File.WriteAllText(Path.Combine(folder, "report.md"), text);

        PlotRates(Path.Combine(folder, "detection-vs-strength.png"), "Detection rate vs attack strength", "strength (eps)", columns,
            results.Where(r => r.Share == 1 && !r.Name.Contains('%')).ToArray(), r => r.Strength);
        PlotRates(Path.Combine(folder, "detection-vs-share.png"), "Detection rate vs share of attacked samples", "share attacked", columns,
            results.Where(r => r.Name.Contains('%')).ToArray(), r => r.Share);
        foreach (var result in results.Skip(1))
            PlotRoc(Path.Combine(folder, "roc-" + FileName(result.Name) + ".png"), result, clean, columns);
        return text;
    }

    private static void AppendPerInput(StringBuilder markdown, IReadOnlyList<string> layers, IReadOnlyList<PerInputAucResult> perInput, EvaluationOptions options)
    {
        markdown.AppendLine();
        markdown.AppendLine(Invariant($"Per-input ROC AUC, {options.PoolSize} attacked vs {options.PoolSize} held-out clean inputs: per layer the default score (class-conditional Mahalanobis distance to the predicted class, reference: test images 0-{options.PoolSize - 1}), ")
            + Invariant($"fused = Bonferroni over the layers' conformal p-values (calibration split: test images {3 * options.PoolSize}-{4 * options.PoolSize - 1}); flagged = fused p ≤ α = {options.Alpha}."));
        markdown.AppendLine();
        markdown.AppendLine("| attack | " + string.Join(" | ", layers) + " | fused | flagged (attacked) | flagged (clean) |");
        markdown.AppendLine("| --- |" + string.Concat(layers.Select(_ => " --- |")) + " --- | --- | --- |");
        foreach (var result in perInput)
        {
            var cells = layers.Select(l => Invariant($"{result.LayerAuc[l]:0.000}"));
            markdown.AppendLine(Invariant($"| {result.Attack} {result.Strength} | {string.Join(" | ", cells)} | {result.FusedAuc:0.000} | {result.AttackedFlaggedRate:0.000} | {result.CleanFlaggedRate:0.000} |"));
        }
    }

    private static void PlotRates(string path, string title, string xLabel, string[] columns, ConfigurationResult[] results, Func<ConfigurationResult, double> x)
    {
        if (results.Length == 0)
            return;
        var plot = new Plot();
        var ordered = results.OrderBy(x).ToArray();
        foreach (var column in columns)
        {
            var scatter = plot.Add.Scatter(ordered.Select(x).ToArray(), ordered.Select(r => r.Rejections[column] / (double)r.Tests).ToArray());
            scatter.LegendText = column;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("detection rate");
        plot.Axes.SetLimitsY(0, 1.05);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 700, 450);
    }

    private static void PlotRoc(string path, ConfigurationResult result, ConfigurationResult clean, string[] columns)
    {
        var plot = new Plot();
        foreach (var column in columns)
        {
            var points = RocCurve.Points(result.Statistics[column], clean.Statistics[column]);
            var scatter = plot.Add.Scatter(points.Select(p => p.FalsePositiveRate).ToArray(), points.Select(p => p.TruePositiveRate).ToArray());
            scatter.LegendText = Invariant($"{column} (AUC {RocCurve.Auc(result.Statistics[column], clean.Statistics[column]):0.00})");
            scatter.MarkerSize = 0;
        }
        plot.Title($"ROC: {result.Name} vs clean");
        plot.XLabel("false-positive rate");
        plot.YLabel("true-positive rate");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 600, 500);
    }

    private static string FileName(string name) =>
        new([.. name.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '-')]);

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
