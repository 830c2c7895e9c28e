using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Alerting.Consumers;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Extensions;

public static class AlertingServiceExtensions
{
    /// <summary>
    /// Options (validated at start), the webhook HttpClient and resilience pipeline, metrics and the
    /// alert consumer. Expects <c>AddKafka</c> to have been called (producer, dead letters, TimeProvider).
    /// </summary>
    public static TBuilder AddAlerting<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<AlertingOptions>()
            .Bind(builder.Configuration.GetSection(AlertingOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertingOptions>, AlertingOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<AlertingMetrics>();

#pragma warning disable EXTEXP0001
        services.AddHttpClient(WebhookDelivery.HttpClientName, client =>
            {
                // The pipeline's attempt timeout is the only deadline.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // ServiceDefaults adds the standard handler (with its own retries) to every client;
            // webhooks must be retried only by our pipeline, or one alert would be sent up to 4 x 5 times.
            // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001) in 10.11; the test
            // WebhookDelivery_AlwaysFailing_MakesExactlyRetriesPlusOneAttempts catches a behaviour change.
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        services.AddSingleton(sp => WebhookPipelineFactory.Create(
            sp.GetRequiredService<IOptions<AlertingOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookPipelineFactory))));
        services.AddSingleton<WebhookDelivery>();
        services.AddHostedService<AlertConsumer>();
        return builder;
    }
}
