using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Streaming.Messaging;

namespace Streaming.UnitTests.Messaging;

public sealed class KafkaServiceCollectionExtensionsTests
{
    private static readonly IConfiguration EmptyConfiguration = new ConfigurationBuilder().Build();

    [Fact]
    public void AddKafka_TimeProviderRegisteredBefore_KeepsIt()
    {
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake);

        services.AddKafka(EmptyConfiguration);

        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        using var provider = services.BuildServiceProvider();
        Assert.Same(fake, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddKafka_NoTimeProvider_RegistersTheSystemClock()
    {
        var services = new ServiceCollection();

        services.AddKafka(EmptyConfiguration);

        using var provider = services.BuildServiceProvider();
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }
}
