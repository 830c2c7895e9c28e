using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;

namespace Streaming.Control.Benchmarks;

/// <summary>Activation events for the windowing benchmarks: interleaved streams of one model, each with one layer of a given width.</summary>
internal static class BenchActivations
{
    public const string Model = "bench";

    /// <summary>Event i of every stream in turn (i = 0, 1, …), as traffic from many cameras arrives.</summary>
    public static List<ActivationEvent> Interleaved(int streams, int events, int values, string runId, string model = Model)
    {
        var random = new Random(7);
        var result = new List<ActivationEvent>(events);
        for (var i = 0; result.Count < events; i++)
        {
            for (var s = 0; s < streams && result.Count < events; s++)
                result.Add(Create(model, $"s{s}", i, values, runId, random));
        }

        return result;
    }

    private static ActivationEvent Create(string model, string stream, int index, int values, string runId, Random random)
    {
        var activation = new ActivationEvent
        {
            Header = new EventHeader
            {
                SchemaVersion = SchemaVersions.Current,
                EventId = $"{runId}-{stream}-{index:D7}",
                Model = model,
                ModelVersion = "v1",
                StreamId = stream,
                Timestamp = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            },
            PredictedClass = index % 10,
            Confidence = 0.9f,
        };
        var layer = new LayerActivation { Layer = "fc1" };
        for (var i = 0; i < values; i++)
            layer.Values.Add((float)random.NextDouble());
        activation.Layers.Add(layer);
        return activation;
    }
}
