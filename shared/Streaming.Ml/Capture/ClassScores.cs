using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Ml.Capture;

/// <summary>Predicted class and confidence from a model's first output, the same for native and TorchScript models.</summary>
internal static class ClassScores
{
    /// <summary>
    /// Arg-max class and its softmax probability of class scores [N,K]. A model whose output is not
    /// class scores (the autoencoder's reconstruction) has no class: <see cref="ActivationCapture.NoClass"/> and confidence 0.
    /// </summary>
    public static (int[] Classes, float[] Confidences) Classify(Tensor output, int count)
    {
        var classes = new int[count];
        if (output.dim() != 2)
        {
            Array.Fill(classes, ActivationCapture.NoClass);
            return (classes, new float[count]);
        }

        var (confidence, predicted) = nn.functional.softmax(output, 1).max(1);
        var predictedValues = MemoryMarshal.Cast<byte, long>(predicted.to_type(ScalarType.Int64).contiguous().bytes);
        for (var i = 0; i < count; i++)
        {
            classes[i] = (int)predictedValues[i];
        }

        return (classes, LayerReducer.CopyOut(confidence));
    }
}
