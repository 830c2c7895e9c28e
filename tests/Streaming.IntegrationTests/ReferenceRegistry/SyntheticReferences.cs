using Streaming.Detection;

namespace Streaming.IntegrationTests.ReferenceRegistry;

/// <summary>Reference files of small random vectors (layer fc1 unless told), as `control calibrate` writes them.</summary>
internal static class SyntheticReferences
{
    public static byte[] Bytes(string model, string version, int seed, int dimension = 8, string layer = "fc1", int count = 300) =>
        ReferenceFile.ToBytes(Create(model, version, seed, dimension, layer, count));

    public static ReferenceSet Create(string model, string version, int seed, int dimension = 8, string layer = "fc1", int count = 300)
    {
        var random = new Random(seed);
        var vectors = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        return ReferenceCalibrator.Create(model, version, new Dictionary<string, float[][]> { [layer] = vectors }, TimeProvider.System);
    }
}
