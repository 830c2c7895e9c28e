using System.Globalization;
using System.Text;

namespace Streaming.Control.Evaluation;

/// <summary>report.md of a scan evaluation: AUC per layer and attack, next to the published figures.</summary>
public static class ScanEvaluationReport
{
    /// <summary>Cintas et al., IJCAI 2020: individual scans on the first convolution of the autoencoder.</summary>
    public const string Published = "Published (Cintas et al., IJCAI 2020, Fashion-MNIST, individual scans on the first convolution): AUC 0.97 for BIM, 0.98 for FGM.";

    /// <returns>The report's text, also written to report.md in <paramref name="folder"/>.</returns>
    public static string Write(string folder, IReadOnlyList<ScanLayerResult> results, ScanEvaluationOptions options, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine("# Subset scanning over autoencoder activations");
        text.AppendLine();
        text.AppendLine(invariant, $"Background {options.Background} clean test images, {options.Evaluated} evaluated (clean and attacked), {options.Scan.Statistic}, {options.Scan.Tail} tail, α_max {options.Scan.AlphaMax}, {options.Scan.Restarts} restarts; groups of {options.GroupSize}, {options.Groups} per kind. Took {elapsed.TotalSeconds:F0} s.");
        text.AppendLine();
        text.AppendLine(Published);
        text.AppendLine();
        string shares = string.Join(" | ", options.Shares.Select(s => string.Create(invariant, $"group AUC {s:P0} adversarial")));
        text.AppendLine($"| attack | layer | nodes | individual AUC | {shares} |");
        text.AppendLine($"|---|---|---|---|{string.Concat(options.Shares.Select(_ => "---|"))}");
        foreach (var r in results)
        {
            text.AppendLine(invariant, $"| {r.Attack} {r.Strength} | {r.Layer} | {r.Nodes} | {r.IndividualAuc:F3} | {string.Join(" | ", r.GroupAucs.Select(g => g.Auc.ToString("F3", invariant)))} |");
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.md"), text.ToString());
        return text.ToString();
    }
}
