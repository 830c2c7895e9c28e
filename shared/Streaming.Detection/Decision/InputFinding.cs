namespace Streaming.Detection.Decision;

/// <summary>One tested event of a window with its per-input evidence.</summary>
/// <param name="Index">Position of the event among the window's tested events.</param>
/// <param name="PValue">Fused per-input p-value.</param>
/// <param name="Layer">The layer with the smallest per-layer p-value.</param>
/// <param name="Adversarial">The event carries signals specific to adversarial inputs.</param>
/// <param name="Flagged">Passed Benjamini–Hochberg at alpha over the window's tested events.</param>
public sealed record InputFinding(int Index, double PValue, string Layer, bool Adversarial, bool Flagged);
