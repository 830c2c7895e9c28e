namespace Streaming.IntegrationTests.Infrastructure;

/// <summary>Test classes in this collection share one redis-server.</summary>
[CollectionDefinition(Name)]
public sealed class RedisFixtureCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
