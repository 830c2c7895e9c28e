namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Tests that run services as real processes share one trained model and run one after another:
/// on a 2-core machine, several pipelines at once would only measure contention.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessTestsCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "processes";
}
