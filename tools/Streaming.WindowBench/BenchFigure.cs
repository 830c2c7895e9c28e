using System.Globalization;

namespace Streaming.WindowBench;

/// <summary>A measured throughput of one backend in one <see cref="BenchCase"/>.</summary>
public sealed record BenchFigure(string Backend, int ReferenceCount, int Batch, int Windows, double Seconds)
{
    public double WindowsPerSecond => Windows / Seconds;

    public double MillisecondsPerWindow => 1000 * Seconds / Windows;

    /// <summary>One tab-separated line: backend, n_ref, batch, windows, seconds (the baseline file format).</summary>
    public string ToLine() => string.Join('\t', Backend.Replace('\t', ' '), ReferenceCount, Batch, Windows, Seconds.ToString("R", CultureInfo.InvariantCulture));

    public static BenchFigure Parse(string line)
    {
        var parts = line.Split('\t');
        if (parts.Length != 5)
        {
            throw new FormatException($"Baseline line '{line}' must hold 5 tab-separated fields: backend, n_ref, batch, windows, seconds.");
        }
        return new BenchFigure(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture),
            int.Parse(parts[3], CultureInfo.InvariantCulture), double.Parse(parts[4], CultureInfo.InvariantCulture));
    }
}
