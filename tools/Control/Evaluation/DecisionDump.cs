using System.Globalization;
using Streaming.Detection.Decision;
using Streaming.Detection.Scoring;

namespace Streaming.Control.Evaluation;

/// <summary>
/// `evaluate --decision-dump FOLDER`: the raw material of the window-decision sweep, so that a new
/// per-input statistic or weighting can be studied on exactly the windows the sweep tested without
/// rerunning the MMD permutations. <c>events.csv</c>: every pool input's fused and per-layer conformal
/// p-values; <c>windows.csv</c>: every window's family p-values and the pool rows it was drawn from;
/// <c>calibration.csv</c>: n_cal per setting.
/// </summary>
internal sealed class DecisionDump(string folder)
{
    public void Pool(string setting, string name, LabelledPool pool, PerInputScorer scorer, string[] layers)
    {
        var scores = scorer.ScoreWindow([.. layers.Select(l => pool.ByLayer[l])], [.. pool.Predicted.Select(p => (int?)p)]);
        Append("events.csv", "setting,pool,row,fused,layers,adversarial", scores.Select((s, i) => Invariant(
            $"{setting},{name},{i},{s.FusedPValue:R},{string.Join(' ', s.LayerPValues.Select(p => p.ToString("R", CultureInfo.InvariantCulture)))},{s.AdversarialPValue ?? 1:R}")));
        Append("calibration.csv", "setting,count", [Invariant($"{setting},{scorer.CalibrationCount}")]);
    }

    public void Window(string setting, string name, double share, int k, WindowDecision decision, IEnumerable<int> cleanRows, IEnumerable<int> attackedRows) =>
        Append("windows.csv", "setting,attack,share,k,mmd,scan,input,combined,clean_rows,attacked_rows", [Invariant(
            $"{setting},{name},{share},{k},{decision.MmdPValue:R},{decision.ScanPValue ?? 1:R},{decision.InputPValue ?? 1:R},{decision.CombinedPValue:R},{string.Join(' ', cleanRows)},{string.Join(' ', attackedRows)}")]);

    private void Append(string file, string header, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, file);
        if (!File.Exists(path)) File.WriteAllText(path, header + "\n");
        File.AppendAllLines(path, lines);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
