using Streaming.Contracts;
using Streaming.Detection;

namespace Streaming.Control.Replay;

/// <summary>
/// Calibration from a clean range of the activations topic: the same reading as replay, the first
/// <c>count</c> events of one model become the reference (bandwidth by the median heuristic).
/// </summary>
public static class TopicCalibrator
{
    public static ReferenceSet Calibrate(ActivationRangeReader reader, string model, int count, string referencePath, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        var vectors = new Dictionary<string, List<float[]>>();
        string? version = null;
        var taken = 0;
        foreach (var activation in reader.Read(null, cancellationToken))
        {
            if (activation.Header.Model != model) continue;
            version ??= activation.Header.ModelVersion;
            foreach (var layer in activation.Layers)
            {
                if (!vectors.TryGetValue(layer.Layer, out var rows))
                    vectors[layer.Layer] = rows = [];
                rows.Add([.. layer.Values]);
            }

            if (++taken == count) break;
        }

        if (taken < 2)
            throw new InvalidOperationException($"The range holds {taken} event(s) of model '{model}'; a reference needs at least 2 (asked for {count}).");
        var incomplete = vectors.FirstOrDefault(kv => kv.Value.Count != taken);
        if (incomplete.Key is not null)
            throw new InvalidOperationException($"Layer '{incomplete.Key}' is missing from {taken - incomplete.Value.Count} of the {taken} events; every event must carry the same layers.");

        var reference = ReferenceCalibrator.Create(model, version!, vectors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), TimeProvider.System);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(referencePath))!);
        ReferenceFile.Save(referencePath, reference);
        return reference;
    }
}
