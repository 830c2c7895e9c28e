using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;
using Spectre.Console;

namespace Streaming.Control.RedTeam;

/// <summary>What <c>control redteam</c> measured, per strategy; printed as a table and written as report.md, report.json and redteam.png.</summary>
public sealed record RedTeamReport(
    string RunId,
    RedTeamSettings Settings,
    IReadOnlyList<PoolSummary> Attacks,
    IReadOnlyList<StrategyResult> Strategies,
    double DurationSeconds)
{
    public const string MarkdownFile = "report.md";
    public const string JsonFile = "report.json";
    public const string PlotFile = "redteam.png";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static readonly string[] Columns =
        ["strategy", "eps", "adversarial / images", "windows (other)", "attacked windows alerted", "clean windows alerted", "first alert after", "flagged precision", "flagged recall"];

    // The console is often 80 columns wide (no terminal): short headers.
    private static readonly string[] ConsoleColumns =
        ["strategy", "eps", "adv/images", "windows (other)", "attacked alerted", "clean alerted", "first alert", "precision", "recall"];

    public void Print()
    {
        var table = new Table().AddColumns(ConsoleColumns);
        foreach (var row in Rows())
            table.AddRow(row.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
        foreach (var pool in Attacks)
            AnsiConsole.MarkupLine(Markup.Escape(PoolLine(pool)));
    }

    /// <summary>Writes report.md, report.json and redteam.png into <paramref name="folder"/>; returns the markdown.</summary>
    public string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var md = new StringBuilder();
        var s = Settings;
        md.AppendLine(Invariant($"# Red team: {Strategies.Count} strategies against {s.Pipeline}"));
        md.AppendLine();
        md.AppendLine(Invariant($"Model {s.Model}; window {s.WindowSize} / slide {s.WindowSlide}; {(s.Permutations is { } p ? $"{p} permutations, " : "")}{(s.Alpha is { } a ? $"alpha {a}, " : "")}{s.Rate:0.#} images/s in requests of {s.BatchSize}; seed {s.Seed}; run {RunId}, {DurationSeconds:0} s."));
        md.AppendLine();
        md.AppendLine("| " + string.Join(" | ", Columns) + " |");
        md.AppendLine("|" + string.Concat(Enumerable.Repeat(" --- |", Columns.Length)));
        foreach (var row in Rows())
            md.AppendLine("| " + string.Join(" | ", row) + " |");
        md.AppendLine();
        foreach (var pool in Attacks)
            md.AppendLine("- " + PoolLine(pool));
        md.AppendLine();
        md.AppendLine("Attacked windows hold at least one adversarial event (the detection's attack_share > 0). \"first alert after\": from the first adversarial input sent to the first alert on an attacked window, and the adversarial inputs sent up to the event that completed that window. Flagged events are the alerts' " + AlertEvidence.Description + ", scored against the ground truth the red team sent; recall is over every adversarial input of the strategy. Windows of other stream ids (model-wide windows) count when the event that completed them came while the strategy was sending.");
        var text = md.ToString();
        File.WriteAllText(Path.Combine(folder, MarkdownFile), text);
        File.WriteAllText(Path.Combine(folder, JsonFile), JsonSerializer.Serialize(this, Json));
        SavePlot(Path.Combine(folder, PlotFile));
        return text;
    }

    private IEnumerable<string[]> Rows() => Strategies.Select(r => new[]
    {
        r.Strategy,
        r.Epsilon?.ToString(CultureInfo.InvariantCulture) ?? "-",
        Invariant($"{r.AdversarialImages} / {r.Images}"),
        Invariant($"{r.Windows} ({r.OtherWindows})"),
        r.AttackedWindows == 0 ? "-" : Invariant($"{r.AttackedWindowAlerts} / {r.AttackedWindows} ({r.DetectionRate:P0})"),
        r.CleanWindows == 0 ? "-" : Invariant($"{r.CleanWindowAlerts} / {r.CleanWindows} ({r.FalseAlarmRate:P0})"),
        r.TimeToFirstAlertMs is { } ms ? Invariant($"{ms / 1000:0.0} s, {r.AdversarialEventsToFirstAlert} adv.") : (r.AdversarialImages == 0 ? "-" : "never"),
        r.Precision is { } precision ? Invariant($"{precision:0.00} ({r.FlaggedAdversarial}/{r.FlaggedEvents})") : "-",
        r.Recall is { } recall ? Invariant($"{recall:0.00}") : "-",
    });

    private static string PoolLine(PoolSummary pool) =>
        Invariant($"{pool.Attack} eps {pool.Epsilon?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {pool.Images} images generated, flipping {pool.SuccessRate:P0} of the correctly classified ones.");

    private void SavePlot(string path)
    {
        var plot = new Plot();
        var series = new (string Name, Func<StrategyResult, double?> Value)[]
        {
            ("attacked windows alerted", r => r.DetectionRate),
            ("flagged precision", r => r.Precision),
            ("flagged recall", r => r.Recall),
            ("clean windows alerted", r => r.FalseAlarmRate),
        };
        const double groupWidth = 0.8;
        var barWidth = groupWidth / series.Length;
        var palette = new ScottPlot.Palettes.Category10();
        for (var k = 0; k < series.Length; k++)
        {
            var bars = Strategies.Select((r, i) => (Value: series[k].Value(r), Position: i - (groupWidth / 2) + ((k + 0.5) * barWidth)))
                .Where(b => b.Value is not null)
                .Select(b => new Bar { Position = b.Position, Value = b.Value!.Value, Size = barWidth * 0.95, FillColor = palette.GetColor(k) })
                .ToList();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[k].Name, FillColor = palette.GetColor(k) });
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, Strategies.Count).Select(i => (double)i)], [.. Strategies.Select(r => r.Strategy)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 120;
        plot.Axes.Right.MinimumSize = 90; // room for the last rotated label
        plot.Axes.SetLimits(-0.6, Math.Max(1, Strategies.Count) - 0.4, 0, 1.1);
        plot.Title(Invariant($"Red team: window {Settings.WindowSize}/{Settings.WindowSlide}, {Settings.Pipeline}"));
        plot.YLabel("share");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Math.Max(700, 70 * Strategies.Count), 500);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
