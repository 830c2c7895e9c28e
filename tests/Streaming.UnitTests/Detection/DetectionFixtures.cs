using Streaming.Detection;
using TorchSharp;

namespace Streaming.UnitTests.Detection;

internal static class DetectionFixtures
{
    /// <summary>Tests run wherever a GPU is present, else on the CPU; the code under test never assumes either.</summary>
    public static torch.Device Device { get; } = torch.cuda.is_available() ? torch.CUDA : torch.CPU;

    public static LayerReference Layer(string name, float[][] vectors, double? bandwidth = null)
    {
        float[] flat = Gaussian.Flatten(vectors);
        double sigma = bandwidth ?? MedianHeuristic.Bandwidth(flat, vectors.Length, vectors[0].Length);
        return new LayerReference(name, vectors.Length, vectors[0].Length, flat, sigma);
    }
}
