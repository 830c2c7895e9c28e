using Streaming.Detection;
using Streaming.Lab.Data;
using Streaming.Ml.Persistence;

namespace Streaming.Control.Workshop;

/// <summary>
/// The split of the MNIST test images that the demo, the load test and the red team share. A seeded,
/// representative sample of the whole test split (<see cref="CalibrationSample.Draw"/>: 1,000 reference +
/// 4,000 calibration images by default (2,000 until 2026-12-03: the larger split lifted PGD 0.3 at 5 % live from
/// 79-82 % to 83-91 % of windows, docs/measurements.md), seed <see cref="CalibrationSample.DefaultSeed"/>, the same sample
/// `control calibrate` draws with its defaults) is the reference; their clean and attacked traffic is taken
/// from the rest of the split in the same seeded order (<see cref="CalibrationSample.Remainder"/>). Reference
/// and traffic are thus disjoint yet drawn from one population: MNIST's test set holds two writer
/// populations one after the other (images 0-4,999 and 5,000-9,999), and a contiguous range of it would differ
/// from a reference of another range by more than chance.
/// </summary>
public sealed class CleanSample
{
    public const int DefaultReferenceCount = 1000;
    public const int DefaultCalibrationCount = 4000;

    private CleanSample(int sourceCount, int referenceCount, int calibrationCount, ulong seed, string dataset)
    {
        Dataset = dataset;
        (Reference, Calibration) = CalibrationSample.Draw(sourceCount, referenceCount, calibrationCount, seed);
        Traffic = CalibrationSample.Remainder(sourceCount, referenceCount, calibrationCount, seed);
        SourceCount = sourceCount;
        Seed = seed;
    }

    public int SourceCount { get; }

    public ulong Seed { get; }

    /// <summary>The data set whose test split this samples (<see cref="ImageDatasets"/>: MNIST by default, Fashion-MNIST for the second demo model).</summary>
    public string Dataset { get; }

    /// <summary>Test-image indices of the reference (MMD and k-NN neighbours).</summary>
    public IReadOnlyList<int> Reference { get; }

    /// <summary>Test-image indices of the held-out calibration split of the per-input conformal p-values.</summary>
    public IReadOnlyList<int> Calibration { get; }

    /// <summary>Every other test-image index, in the sample's seeded order: where traffic comes from.</summary>
    public IReadOnlyList<int> Traffic { get; }

    /// <summary>The sample of <paramref name="sourceCount"/> test images (all of the split: [0, sourceCount)) of <paramref name="dataset"/> (MNIST when null).</summary>
    public static CleanSample Draw(int sourceCount, int referenceCount = DefaultReferenceCount, int calibrationCount = DefaultCalibrationCount, ulong seed = CalibrationSample.DefaultSeed, string? dataset = null) =>
        new(sourceCount, referenceCount, calibrationCount, seed, dataset ?? ImageDatasets.Mnist);

    /// <summary>How the reference file names this sample (<see cref="ModelWorkshop.SampleSource"/>).</summary>
    public string Source => ModelWorkshop.SampleSource(Dataset, 0, SourceCount, Reference.Count, Calibration.Count, Seed);

    /// <summary>
    /// The first <paramref name="count"/> traffic images as a data set of their own (pixels and labels copied, in
    /// traffic order), so that range-based code (clean phases, attack generation) runs on them unchanged.
    /// </summary>
    public MnistDataset TrafficImages(MnistDataset test, int count)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (test.Count != SourceCount)
            throw new ArgumentException($"The sample was drawn from {SourceCount} test images; this data set has {test.Count}.", nameof(test));
        if (count < 0 || count > Traffic.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"{count} traffic images wanted; {SourceCount} test images less a reference of {Reference.Count} and a calibration split of {Calibration.Count} leave {Traffic.Count}.");
        var pixels = new float[count * MnistDataset.PixelsPerImage];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var image = Traffic[i];
            test.Pixels.AsSpan(image * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage).CopyTo(pixels.AsSpan(i * MnistDataset.PixelsPerImage));
            labels[i] = test.Labels[image];
        }
        return MnistDataset.FromArrays(pixels, labels);
    }

    /// <summary>
    /// The reference of this sample at <paramref name="referencePath"/> for the model in
    /// <paramref name="modelDirectory"/>: reused when the file already holds it (same model version, sample
    /// source, seed and counts, with its calibration split), otherwise calibrated and written (format v2), which
    /// replaces a reference of another sample, a contiguous one or one without calibration split.
    /// </summary>
    public ReferenceSet EnsureReference(string modelDirectory, MnistDataset test, string referencePath, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        var manifest = ModelStore.LoadManifest(modelDirectory);
        if (File.Exists(referencePath))
        {
            var existing = TryLoad(referencePath);
            if (existing is not null && Holds(existing, manifest))
            {
                progress?.Invoke($"Using the reference in {referencePath} ({Source}).");
                return existing;
            }
            progress?.Invoke($"The reference in {referencePath} is not this sample of model {manifest.Name} {manifest.Version}; calibrating it again.");
        }

        progress?.Invoke($"Calibrating the reference of {manifest.Name} from a seeded sample of the {Dataset} test images: {Source} …");
        return ModelWorkshop.CalibrateSample(modelDirectory, test, Dataset, 0, SourceCount, Reference.Count, Calibration.Count, Seed, referencePath);
    }

    /// <summary>True when <paramref name="reference"/> was calibrated from this sample for the model of <paramref name="manifest"/>.</summary>
    public bool Holds(ReferenceSet reference, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(manifest);
        return reference.Calibration is { } split
            && reference.Model == manifest.Name
            && reference.ModelVersion == manifest.Version
            && split.Seed == Seed
            && split.Count == Calibration.Count
            && string.Equals(split.Source, Source, StringComparison.Ordinal)
            && reference.Layers.All(l => l.Count == Reference.Count);
    }

    private static ReferenceSet? TryLoad(string path)
    {
        try
        {
            return ReferenceFile.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            // Unreadable or of an unsupported format version: calibrated again like a missing one.
            return null;
        }
    }
}
