using Streaming.Control.Workshop;
using Streaming.Lab.Data;
using Streaming.LocalStack;
using Streaming.Ml.Persistence;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>The model the demo uses (.artifacts/models/small-cnn), trained once if it is not there yet.</summary>
public sealed class TrainedModelFixture
{
    public TrainedModelFixture()
    {
        Paths = RepoPaths.Discover();
        if (!File.Exists(Path.Combine(Paths.DefaultModelDirectory, ModelStore.ManifestFileName)))
            ModelCache.Train(Paths, CachedModel.SmallCnn(Paths), null, CancellationToken.None);
        Manifest = ModelStore.LoadManifest(Paths.DefaultModelDirectory);
    }

    public RepoPaths Paths { get; }

    public ModelManifest Manifest { get; }

    /// <summary>
    /// The default reference (<see cref="RepoPaths.DefaultReferencePath"/>) of the seeded sample the demo, the load
    /// test and the red team use (<see cref="CleanSample"/>), calibrated when it is missing or of another sample.
    /// </summary>
    public string EnsureReference()
    {
        var test = MnistDataset.Load(Paths.MnistData, MnistSplit.Test);
        CleanSample.Draw(test.Count).EnsureReference(Paths.DefaultModelDirectory, test, Paths.DefaultReferencePath);
        return Paths.DefaultReferencePath;
    }
}
