using System.Globalization;
using System.Text;
using ScottPlot;
using Streaming.Lab.Evaluation;

namespace Streaming.Control.Evaluation;

/// <summary>The window-decision sweep as markdown (appended to report.md) and a plot per setting.</summary>
public static class DecisionReport
{
    public static string Write(string folder, IReadOnlyList<DecisionResult> results, DecisionEvaluationOptions options)
    {
        Directory.CreateDirectory(folder);
        var markdown = new StringBuilder();
        markdown.AppendLine("## Window decision: combined and each family alone");
        markdown.AppendLine();
        markdown.AppendLine(Invariant($"{options.Tests} windows of {options.WindowSize} per row, the Detector's decision (MMD over the layers with Bonferroni, P = {options.Permutations}; ")
            + Invariant($"per-input counts per layer at 0.001, 0.005, 0.05 and 0.1; Berk-Jones subset scan with {options.ScanNullWindows} null windows; Bonferroni across the families) at α = {options.Alpha}; ")
            + Invariant($"reference {options.ReferenceCount} + calibration {options.CalibrationCount} images (seed {options.Seed}). A family alone: its own p-value < α. ")
            + "Clean rows give the false-alarm rate with its 95 % Wilson interval. *same population*: the demo's seeded sample, traffic from the rest of the test set; "
            + Invariant($"*benign shift*: reference from test images {options.ShiftReferenceImages.Start}-{options.ShiftReferenceImages.End - 1}, traffic (and the attacked images) from the others."));
        markdown.AppendLine();
        markdown.AppendLine("| setting | window | combined | MMD alone | scan alone | per-input alone | alerts labelled adversarial |");
        markdown.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
        {
            string window = r.Share == 0 ? r.Name : Invariant($"{r.Name}, {r.Share * 100:0} % attacked");
            string combined = r.Share == 0 ? WithInterval(r.Combined, r.Windows) : Rate(r.Combined, r.Windows);
            markdown.AppendLine($"| {r.Setting} | {window} | {combined} | {Rate(r.Mmd, r.Windows)} | {Rate(r.Scan, r.Windows)} | {Rate(r.Inputs, r.Windows)} | {(r.Share == 0 ? WithInterval(r.Adversarial, r.Windows) : Rate(r.Adversarial, r.Windows))} |");
        }
        markdown.AppendLine();
        markdown.AppendLine("### MMD tests: permutations against the precomputed null");
        markdown.AppendLine();
        markdown.AppendLine(Invariant($"The same windows, the MMD tests alone (Bonferroni over the layers, α = {options.Alpha}) with P = {options.Permutations} permutations per window ")
            + "and against the null precomputed from the calibration split (`Detector:Mmd:Null = Precomputed`, 2,000 clean calibration windows per size). Clean rows: false alarms with 95 % Wilson interval.");
        markdown.AppendLine();
        markdown.AppendLine("| setting | window | MMD, permutations | MMD, precomputed null | same MMD decision |");
        markdown.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var r in results)
        {
            string window = r.Share == 0 ? r.Name : Invariant($"{r.Name}, {r.Share * 100:0} % attacked");
            string permutation = r.Share == 0 ? WithInterval(r.Mmd, r.Windows) : Rate(r.Mmd, r.Windows);
            string precomputed = r.Share == 0 ? WithInterval(r.MmdPrecomputed, r.Windows) : Rate(r.MmdPrecomputed, r.Windows);
            markdown.AppendLine($"| {r.Setting} | {window} | {permutation} | {precomputed} | {Rate(r.MmdAgreement, r.Windows)} |");
        }
        markdown.AppendLine();
        markdown.AppendLine("Plots: `decision-vs-share-*.png` (combined decision per attack and share, one per setting).");
        foreach (var setting in results.Select(r => r.Setting).Distinct())
            Plot(Path.Combine(folder, "decision-vs-share-" + setting.Replace(' ', '-') + ".png"), setting, [.. results.Where(r => r.Setting == setting)]);
        return markdown.ToString();
    }

    private static void Plot(string path, string setting, DecisionResult[] results)
    {
        var attacked = results.Where(r => r.Share > 0).ToArray();
        if (attacked.Length == 0) return;
        var plot = new Plot();
        foreach (var group in attacked.GroupBy(r => r.Name))
        {
            var ordered = group.OrderBy(r => r.Share).ToArray();
            var scatter = plot.Add.Scatter(ordered.Select(r => r.Share).ToArray(), ordered.Select(r => r.Combined / (double)r.Windows).ToArray());
            scatter.LegendText = group.Key;
        }
        plot.Title($"Windows alerted vs share attacked ({setting})");
        plot.XLabel("share of the window attacked");
        plot.YLabel("windows alerted");
        plot.Axes.SetLimitsY(0, 1.05);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 700, 450);
    }

    private static string Rate(int count, int total) => Invariant($"{count / (double)total:0.00}");

    private static string WithInterval(int count, int total)
    {
        var (lower, upper) = WilsonInterval.Compute(count, total);
        return Invariant($"{count / (double)total:0.00} [{lower:0.00}, {upper:0.00}]");
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
