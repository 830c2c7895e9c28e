using Streaming.Contracts;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// Whether one event can be tested against the reference: the reference's model and model version
/// (activations of another version of the weights are another distribution, and testing them would
/// alert on a deployment rather than an attack), every reference layer exactly once with the
/// reference's dimension, every value finite and within ±1e6. Layers the reference does not know
/// are ignored (a model may publish more than is tested).
/// </summary>
public static class ReferenceFit
{
    /// <param name="vectors">On success, one fresh vector per reference layer, in reference order.</param>
    /// <param name="checkVersion">False when the reference stands in for another version of its model (the registry's version fallback).</param>
    /// <returns>Null when the event fits, else what is wrong.</returns>
    public static EventProblem? Extract(ActivationEvent activation, ReferenceSet reference, out float[][] vectors, bool checkVersion = true)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(reference);
        vectors = [];
        var model = activation.Header?.Model ?? "";
        if (!string.Equals(model, reference.Model, StringComparison.Ordinal))
            return new EventProblem("model", $"it is of model '{Text.Shorten(model)}', but the reference is for '{reference.Model}'");
        var version = activation.Header?.ModelVersion ?? "";
        if (checkVersion && !string.Equals(version, reference.ModelVersion, StringComparison.Ordinal))
            return new EventProblem("model_version", $"it is of model version '{Text.Shorten(version)}', but the reference is of version '{reference.ModelVersion}'");

        var found = new LayerActivation?[reference.Layers.Count];
        foreach (var layer in activation.Layers)
        {
            var index = IndexOf(reference, layer.Layer);
            if (index < 0) continue;
            if (found[index] is not null)
                return new EventProblem("duplicate_layer", $"it carries layer '{layer.Layer}' more than once");
            found[index] = layer;
        }

        var result = new float[reference.Layers.Count][];
        for (var i = 0; i < result.Length; i++)
        {
            var expected = reference.Layers[i];
            if (found[i] is not { } layer)
                return new EventProblem("missing_layer", $"it has no activations for layer '{expected.Layer}', which the reference requires");
            if (layer.Values.Count != expected.Dimension)
                return new EventProblem("dimension", $"layer '{expected.Layer}' has {layer.Values.Count} values, but the reference expects {expected.Dimension}");
            float[] values = [.. layer.Values];
            var bad = ActivationBounds.FirstUnusable(values);
            if (bad >= 0)
                return new EventProblem("value", $"layer '{expected.Layer}' holds an unusable value ({ActivationBounds.Describe(values[bad])}) at component {bad}");
            result[i] = values;
        }

        vectors = result;
        return null;
    }

    private static int IndexOf(ReferenceSet reference, string layer)
    {
        for (var i = 0; i < reference.Layers.Count; i++)
        {
            if (string.Equals(reference.Layers[i].Layer, layer, StringComparison.Ordinal))
                return i;
        }

        return -1;
    }
}
