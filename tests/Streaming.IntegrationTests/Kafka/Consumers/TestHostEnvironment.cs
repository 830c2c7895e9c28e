using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Streaming.IntegrationTests.Kafka.Consumers;

/// <summary>The little a <see cref="Streaming.Messaging.KafkaProducerHandle"/> built outside a host needs (its client id).</summary>
internal sealed class TestHostEnvironment : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Test";

    public string ApplicationName { get; set; } = "consumer-tests";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
