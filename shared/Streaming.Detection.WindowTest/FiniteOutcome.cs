
namespace Streaming.Detection.WindowTest;

/// <summary>
/// The one place where a test outcome is made safe to publish: a layer whose MMD² or p-value is not
/// finite (or a p-value outside [0, 1]) gets MMD² 0 (when it was not finite), p = 1, not rejected,
/// and its reason in <see cref="LayerTestOutcome.Problem"/>; then the combined p-value and the alert
/// are decided again from the repaired p-values. A NaN can therefore never cause an alert: at worst a
/// broken layer stops counting, and the other layers decide.
/// </summary>
public static class FiniteOutcome
{
    public static WindowTestOutcome Ensure(WindowTestOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var changed = false;
        var layers = new LayerTestOutcome[outcome.Layers.Count];
        for (var i = 0; i < layers.Length; i++)
        {
            var layer = outcome.Layers[i];
            if (layer.RejectionShare is { } share && !(share >= 0 && share <= 1))
            {
                layer = layer with { RejectionShare = null };
                changed = true;
            }

            if (!double.IsFinite(layer.Mmd2) || !IsProbability(layer.PValue))
            {
                layer = layer with
                {
                    Mmd2 = double.IsFinite(layer.Mmd2) ? layer.Mmd2 : 0,
                    PValue = 1,
                    Rejected = false,
                    Problem = layer.Problem ?? $"MMD² {layer.Mmd2}, p-value {layer.PValue}: not usable, the layer counts as not shifted",
                };
                changed = true;
            }

            layers[i] = layer;
        }

        if (!changed && IsProbability(outcome.CombinedPValue)) return outcome;
        if (layers.Length == 0)
            return outcome with { Layers = layers, CombinedPValue = 1, Alert = false };

        double[] pValues = [.. layers.Select(l => l.PValue)];
        var combined = MultipleTesting.Combine(outcome.Correction, pValues);
        if (!IsProbability(combined)) combined = 1;
        var rejected = MultipleTesting.RejectedLayers(outcome.Correction, pValues, outcome.Alpha);
        for (var i = 0; i < layers.Length; i++)
            layers[i] = layers[i] with { Rejected = rejected[i] && layers[i].Problem is null };
        return outcome with { Layers = layers, CombinedPValue = combined, Alert = combined < outcome.Alpha };
    }

    private static bool IsProbability(double p) => p >= 0 && p <= 1;
}
