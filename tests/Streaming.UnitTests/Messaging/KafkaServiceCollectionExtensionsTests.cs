using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

    [Theory]
    [InlineData("Kafka:BootstrapServers", "")]
    [InlineData("Kafka:SessionTimeoutMs", "5")]
    [InlineData("Kafka:DeadLetterMaxPayloadBytes", "10")]
    public void AddKafka_BadSetting_FailsNamingTheKey(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = "127.0.0.1:1", [key] = value })
            .Build();
        using var provider = new ServiceCollection().AddKafka(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KafkaOptions>>().Value);

        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void AddKafka_MessagingMetrics_OneInstanceWithEveryInstrumentOnTheHostsMeterFactory()
    {
        using var provider = new ServiceCollection().AddKafka(EmptyConfiguration).BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var metrics = provider.GetRequiredService<MessagingMetrics>();
        var ours = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                    lock (ours) ours.Add(instrument);
            },
        };

        listener.Start();

        Assert.Same(metrics, provider.GetRequiredService<MessagingMetrics>());
        string[] expected =
        [
            "streaming.consumer.lag", "streaming.consumer.stalled", "streaming.handler.duration", "streaming.handler.failures",
            "streaming.messages.consumed", "streaming.messages.deadletter_failed", "streaming.messages.deadlettered", "streaming.messages.produced",
            "streaming.messages.skipped_by_reset",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ours.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.All(ours, i => Assert.Equal(MessagingMetrics.MeterName, i.Meter.Name));
    }
}
