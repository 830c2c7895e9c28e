namespace Streaming.UnitTests.Ml;

/// <summary>All Ml test classes share one trained model and run one after another (torch's RNG is global).</summary>
[CollectionDefinition(Name)]
public sealed class MlCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "Ml";
}
