using Streaming.Ml.Serving;

namespace Streaming.Ml.Capture;

/// <summary>What one forward pass of a batch produced: predictions and every captured layer's vectors.</summary>
public sealed class CaptureResult(int[] predictedClasses, float[] confidences, IReadOnlyList<LayerVectors> layers)
{
    public int Count => PredictedClasses.Length;

    public int[] PredictedClasses { get; } = predictedClasses;

    /// <summary>Softmax probability of the predicted class.</summary>
    public float[] Confidences { get; } = confidences;

    /// <summary>Captured layers in the order of the capture specs.</summary>
    public IReadOnlyList<LayerVectors> Layers { get; } = layers;

    public LayerVectors Layer(string name) =>
        Layers.FirstOrDefault(l => l.Layer == name)
        ?? throw new KeyNotFoundException(
            $"Layer '{name}' was not captured; captured layers: {string.Join(", ", Layers.Select(l => l.Layer))}.");

    /// <summary>One entry per input, each with its own copy of every layer vector.</summary>
    public IReadOnlyList<InputActivations> ToInputActivations()
    {
        var inputs = new InputActivations[Count];
        for (var i = 0; i < Count; i++)
        {
            var perLayer = new OrderedDictionary<string, float[]>(Layers.Count);
            foreach (var layer in Layers)
            {
                perLayer.Add(layer.Layer, layer.Vector(i));
            }

            inputs[i] = new InputActivations(PredictedClasses[i], Confidences[i], perLayer);
        }

        return inputs;
    }
}
