using Streaming.Control.Workshop;
using Streaming.LocalStack;
using Streaming.Ml.Persistence;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The demo's second model, resnet-small on Fashion-MNIST (<see cref="CachedModel.ResNetFashion"/>, its small training
/// budget included), trained once into .artifacts/models/ if it is not there yet (2-3 minutes on 2 cores).
/// </summary>
public sealed class FashionModelFixture
{
    public FashionModelFixture()
    {
        Paths = RepoPaths.Discover();
        Model = CachedModel.ResNetFashion(Paths);
        if (!File.Exists(Path.Combine(Model.Directory, ModelStore.ManifestFileName)))
            ModelCache.Train(Paths, Model, null, CancellationToken.None);
        Manifest = ModelStore.LoadManifest(Model.Directory);
    }

    public RepoPaths Paths { get; }

    public CachedModel Model { get; }

    public ModelManifest Manifest { get; }
}
