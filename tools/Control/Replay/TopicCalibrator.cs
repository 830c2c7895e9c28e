using Streaming.Contracts;
using Streaming.Detection;

namespace Streaming.Control.Replay;

/// <summary>
/// Calibration from a clean range of the activations topic: the same reading as replay. The whole
/// range is read once and a seeded reservoir sample (algorithm R, bounded at count + calibrationCount
/// events) keeps a uniform random sample of the model's events, so every event of the range is
/// equally likely to be chosen whatever its position. The sample is shuffled with the same seed;
/// the first <c>count</c> events become the reference, the rest the calibration split.
/// </summary>
public static class TopicCalibrator
{
    public static ReferenceSet Calibrate(ActivationRangeReader reader, string model, int count, int calibrationCount, ulong seed, string referencePath, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(calibrationCount, 1);
        int wanted = count + calibrationCount;
        var reservoir = new List<ActivationEvent>(Math.Min(wanted, 100_000));
        var random = CalibrationSample.Random(seed);
        long seen = 0;
        foreach (var activation in reader.Read(null, cancellationToken))
        {
            if (activation.Header.Model != model) continue;
            seen++;
            if (reservoir.Count < wanted)
            {
                reservoir.Add(activation);
            }
            else
            {
                long slot = random.NextInt64(seen);
                if (slot < wanted) reservoir[(int)slot] = activation;
            }
        }

        if (seen < wanted)
            throw new InvalidOperationException($"The range holds {seen} event(s) of model '{model}'; a reference of {count} and a calibration split of {calibrationCount} need {wanted}.");
        var sample = reservoir.ToArray();
        random.Shuffle(sample);
        var version = sample[0].Header.ModelVersion;
        var (reference, referenceLabels) = ByLayer(sample[..count]);
        var (calibration, calibrationLabels) = ByLayer(sample[count..]);
        var source = FormattableString.Invariant($"{seen} events of model '{model}' of the topic range, seeded reservoir sample (seed {seed}): {count} reference + {calibrationCount} calibration");
        var set = ReferenceCalibrator.Create(model, version, reference, referenceLabels, calibration, calibrationLabels, seed, source, TimeProvider.System);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(referencePath))!);
        ReferenceFile.Save(referencePath, set);
        return set;
    }

    private static (Dictionary<string, float[][]> ByLayer, int[] Labels) ByLayer(ActivationEvent[] events)
    {
        var byLayer = new Dictionary<string, float[][]>();
        for (var i = 0; i < events.Length; i++)
        {
            foreach (var layer in events[i].Layers)
            {
                if (!byLayer.TryGetValue(layer.Layer, out var rows))
                    byLayer[layer.Layer] = rows = new float[events.Length][];
                rows[i] = [.. layer.Values];
            }
        }
        var incomplete = byLayer.FirstOrDefault(kv => kv.Value.Any(r => r is null));
        if (incomplete.Key is not null)
            throw new InvalidOperationException($"Layer '{incomplete.Key}' is missing from {incomplete.Value.Count(r => r is null)} of the {events.Length} sampled events; every event must carry the same layers.");
        return (byLayer, [.. events.Select(e => e.PredictedClass < 0 ? -1 : e.PredictedClass)]);
    }
}
