using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;
using Streaming.Detection.Scoring;

namespace Streaming.Control.LoadTest;

/// <summary>
/// Makes the activation events of the streaming load test: each one a random row of the clean pool, or of the
/// attacked pool with probability attackShare, with every layer of that row, a fresh event id and the time it
/// is made as its timestamp (detection latency is measured from there, as the inference service stamps
/// the events of an image when it receives it). Safe to call from several threads.
/// </summary>
public sealed class ActivationEventGenerator
{
    private readonly string _model;
    private readonly string _modelVersion;
    private readonly ActivationPool _clean;
    private readonly ActivationPool? _attacked;
    private readonly IReadOnlyDictionary<string, string> _attackAttributes;
    private readonly Random _random;
    private readonly TimeProvider _time;

    /// <param name="attackAttributes">Ground truth written on attacked events (e.g. attack=fgsm, epsilon=0.3); clean ones carry attack=none.</param>
    public ActivationEventGenerator(
        string model,
        string modelVersion,
        ActivationPool clean,
        ActivationPool? attacked,
        IReadOnlyDictionary<string, string> attackAttributes,
        int seed,
        TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(attackAttributes);
        ArgumentNullException.ThrowIfNull(time);
        if (attacked is not null && (!attacked.Layers.SequenceEqual(clean.Layers) || !attacked.Dimensions.SequenceEqual(clean.Dimensions)))
            throw new ArgumentException($"The attacked pool's layers ({Describe(attacked)}) differ from the clean pool's ({Describe(clean)}).", nameof(attacked));
        _model = model;
        _modelVersion = modelVersion;
        _clean = clean;
        _attacked = attacked;
        _attackAttributes = attackAttributes;
        _random = new Random(seed);
        _time = time;
    }

    /// <summary>Events of <paramref name="streamId"/>; each is attacked with probability <paramref name="attackShare"/>.</summary>
    public IReadOnlyList<ActivationEvent> Next(string streamId, double attackShare, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (attackShare is < 0 or > 1 || double.IsNaN(attackShare))
            throw new ArgumentOutOfRangeException(nameof(attackShare), attackShare, "The attack share is a probability in [0, 1].");
        if (attackShare > 0 && _attacked is null)
            throw new InvalidOperationException("Attacked events were asked for, but the generator has no attacked pool.");

        var timestamp = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
        var events = new ActivationEvent[count];
        for (var i = 0; i < count; i++)
        {
            bool attack;
            int row;
            lock (_random)
            {
                attack = _random.NextDouble() < attackShare;
                row = _random.Next((attack ? _attacked! : _clean).Count);
            }

            events[i] = Build(streamId, attack ? _attacked! : _clean, row, attack, timestamp);
        }

        return events;
    }

    private ActivationEvent Build(string streamId, ActivationPool pool, int row, bool attack, Timestamp timestamp)
    {
        var activation = new ActivationEvent
        {
            Header = new EventHeader
            {
                SchemaVersion = SchemaVersions.Current,
                EventId = Guid.NewGuid().ToString("N"),
                Model = _model,
                ModelVersion = _modelVersion,
                StreamId = streamId,
                Timestamp = timestamp,
            },
            PredictedClass = Math.Max(0, pool.Labels[row]),
            // The pools keep the predicted class but no softmax output; a positive confidence is what tells
            // the detector the class is known (its label evidence reads the class only then).
            Confidence = pool.Labels[row] == CalibrationSplit.NoLabel ? 0f : 1f,
        };
        for (var l = 0; l < pool.Layers.Count; l++)
        {
            var layer = new LayerActivation { Layer = pool.Layers[l] };
            layer.Values.AddRange(pool.Row(l, row).ToArray());
            activation.Layers.Add(layer);
        }

        if (attack)
        {
            foreach (var (name, value) in _attackAttributes)
                activation.Attributes[name] = value;
        }
        else
        {
            activation.Attributes["attack"] = "none";
        }

        return activation;
    }

    private static string Describe(ActivationPool pool) => string.Join(", ", pool.Layers.Zip(pool.Dimensions, (l, d) => $"{l}[{d}]"));
}
