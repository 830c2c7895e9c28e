namespace Streaming.Detection.Decision;

/// <summary>
/// Picks the events an alert names: every tested event ranked by its fused per-input p-value, those
/// that pass Benjamini–Hochberg at alpha over the window marked as flagged (a false-discovery-rate
/// guarantee on the named events, which a security engineer acts on one by one).
/// </summary>
public static class InputFindings
{
    /// <param name="max">Most events returned: flagged ones first, then the next smallest p-values.</param>
    public static IReadOnlyList<InputFinding> Rank(
        IReadOnlyList<double> pValues, IReadOnlyList<string> layers, IReadOnlyList<bool> adversarial, double alpha, int max)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(adversarial);
        if (layers.Count != pValues.Count || adversarial.Count != pValues.Count)
            throw new ArgumentException($"Per-event lists differ in length: {pValues.Count} p-values, {layers.Count} layers, {adversarial.Count} evidence flags.");
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (pValues.Count == 0 || max == 0) return [];

        var safe = pValues.Select(p => double.IsFinite(p) && p >= 0 ? Math.Min(p, 1.0) : 1.0).ToArray();
        var flagged = MultipleTesting.BenjaminiHochberg(safe, alpha);
        return [.. Enumerable.Range(0, safe.Length)
            .OrderBy(i => safe[i])
            .ThenBy(i => i)
            .Take(max)
            .Select(i => new InputFinding(i, safe[i], layers[i], adversarial[i], flagged[i]))];
    }
}
