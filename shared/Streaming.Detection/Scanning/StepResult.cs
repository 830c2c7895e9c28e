namespace Streaming.Detection.Scanning;

/// <param name="Score">Best statistic of the step; −∞ when no threshold exists.</param>
/// <param name="Level">Index of the threshold α* that reached it; −1 when none.</param>
/// <param name="Subset">The chosen items (events or nodes), ascending.</param>
internal readonly record struct StepResult(double Score, int Level, int[] Subset);
