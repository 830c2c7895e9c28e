using Google.Protobuf;
using Streaming.Contracts;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>Activation events with small random vectors, as a model server would publish them.</summary>
internal static class SyntheticActivations
{
    public static ActivationEvent Create(string model, string stream, int index, Random random, float shift = 0f)
    {
        var activation = new ActivationEvent
        {
            Header = new EventHeader
            {
                SchemaVersion = SchemaVersions.Current,
                EventId = $"{stream}-{index:D6}",
                Model = model,
                ModelVersion = "v1",
                StreamId = stream,
                Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            },
            PredictedClass = index % 10,
            Confidence = 0.9f,
        };
        var layer = new LayerActivation { Layer = "fc1" };
        for (var i = 0; i < 8; i++)
            layer.Values.Add((float)random.NextDouble() + shift);
        activation.Layers.Add(layer);
        activation.Attributes["attack"] = shift == 0f ? "none" : "shift";
        return activation;
    }

    /// <summary>Clean reference vectors from the same distribution as unshifted events.</summary>
    public static float[][] ReferenceVectors(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
    }

    public static byte[] Bytes(ActivationEvent activation) => activation.ToByteArray();

    /// <summary>Writes a reference file of model "synthetic" (layer fc1, 300 clean vectors) to a fresh temporary path.</summary>
    public static string SaveReference(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.ref");
        Detection.ReferenceFile.Save(path, Detection.ReferenceCalibrator.Create("synthetic", "v1",
            new Dictionary<string, float[][]> { ["fc1"] = ReferenceVectors(300, seed: 5) }, TimeProvider.System));
        return path;
    }
}
