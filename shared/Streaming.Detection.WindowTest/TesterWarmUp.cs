using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// Runs a few windows of the reference's own clean rows through a tester (prepare, test, evidence) before the
/// Detector consumes. The first windows after a start otherwise pay the compilation of every method on that
/// path and libtorch's first calls: about 1-1.7 s of detection latency each in the load test. The events are on
/// the reserved stream <see cref="StreamId"/>, which ingestion refuses to clients, so what the tester remembers of
/// them (event cache, recent windows) can never match real traffic, and results of later windows do not change
/// (the permutations are seeded per layer, not drawn from a running generator).
/// </summary>
public static class TesterWarmUp
{
    public const string StreamId = WindowScopes.ReservedStreamIdPrefix + "warmup";

    /// <summary>Events per warm-up window (fewer when the reference holds fewer clean rows).</summary>
    public const int WindowSize = 100;

    /// <summary>Tests <paramref name="windows"/> windows (alternately of stream and of model scope, as Windowing emits them); returns the time taken.</summary>
    public static TimeSpan Run(ReferenceTester tester, int windows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tester);
        var started = Stopwatch.GetTimestamp();
        var reference = tester.Reference;
        var (vectors, labels) = reference.Calibration is { } split
            ? (split.Vectors, split.Labels)
            : ((IReadOnlyList<float[]>)[.. reference.Layers.Select(l => l.Vectors)], Enumerable.Repeat(0, reference.Layers[0].Count).ToArray());
        var rows = labels.Length;
        var size = Math.Min(WindowSize, rows);
        if (size < 2) return TimeSpan.Zero;
        var timestamp = Timestamp.FromDateTimeOffset(now);
        for (var w = 0; w < windows; w++)
        {
            var events = new ActivationEvent[size];
            for (var i = 0; i < size; i++)
                events[i] = Event(reference, vectors, labels, (w * size + i) % rows, $"warmup-{w}-{i}", timestamp);
            var modelWide = w % 2 == 1;
            var window = new WindowReady
            {
                Header = Header(reference, modelWide ? WindowScopes.ModelWideStreamId : StreamId, $"warmup-window-{w}", timestamp),
                WindowId = $"{reference.Model}/{StreamId}/warmup-{w}",
                Size = (uint)size,
                Scope = modelWide ? WindowScopes.Model : WindowScopes.Stream,
                LastEventTimestamp = timestamp,
                FirstEventTimestamp = timestamp,
            };
            var prepared = tester.Prepare(window, events);
            tester.Evidence(prepared, tester.TestMany([prepared])[0]);
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private static ActivationEvent Event(ReferenceSet reference, IReadOnlyList<float[]> vectors, int[] labels, int row, string id, Timestamp timestamp)
    {
        var activation = new ActivationEvent
        {
            Header = Header(reference, StreamId, id, timestamp),
            PredictedClass = Math.Max(0, labels[row]),
            Confidence = 1f,
        };
        for (var l = 0; l < reference.Layers.Count; l++)
        {
            var dimension = reference.Layers[l].Dimension;
            var layer = new LayerActivation { Layer = reference.Layers[l].Layer };
            layer.Values.AddRange(vectors[l].AsSpan(row * dimension, dimension).ToArray());
            activation.Layers.Add(layer);
        }

        return activation;
    }

    private static EventHeader Header(ReferenceSet reference, string streamId, string eventId, Timestamp timestamp) => new()
    {
        SchemaVersion = SchemaVersions.Current,
        EventId = eventId,
        Model = reference.Model,
        ModelVersion = reference.ModelVersion,
        StreamId = streamId,
        Timestamp = timestamp,
    };
}
