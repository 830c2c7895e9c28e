namespace Streaming.IntegrationTests.Infrastructure;

/// <summary>Test classes in this collection share one rabbitmq-server (and run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqFixtureCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "rabbitmq";
}
