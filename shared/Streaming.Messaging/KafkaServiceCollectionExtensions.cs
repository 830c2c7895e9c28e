using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Streaming.Messaging;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>
    /// Kafka options (validated at start), the messaging metrics, the process's producer, the dead-letter publisher and a
    /// readiness check that turns Unhealthy while a consumer of the process cannot make progress.
    /// </summary>
    public static IServiceCollection AddKafka(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KafkaOptions>()
            .Bind(configuration.GetSection(KafkaOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<MessagingMetrics>();
        services.AddSingleton<KafkaProducerHandle>();
        services.AddSingleton<DeadLetterPublisher>();
        // TryAdd: a clock registered before (a test's FakeTimeProvider) is kept.
        services.TryAddSingleton(TimeProvider.System);
        services.AddHealthChecks().AddCheck<KafkaConsumersHealthCheck>("kafka-consumers");
        return services;
    }
}
