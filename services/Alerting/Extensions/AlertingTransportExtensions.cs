using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Streaming.Alerting.Consumers;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Options;
using Streaming.Alerting.Redelivery;

namespace Streaming.Alerting.Extensions;

public static class AlertingTransportExtensions
{
    /// <summary>
    /// MassTransit with the transport Alerting:Transport names (RabbitMQ, durable, by default; the
    /// in-memory transport only when asked for), the delivery queue's consumer, the send side used
    /// by the Kafka consumer and the retry store with its scheduler. The bus is started before the
    /// Kafka consumer (hosted services start in order), so the first alert already has a queue.
    /// </summary>
    public static IServiceCollection AddAlertingTransport(this IServiceCollection services, IConfiguration configuration)
    {
        // The transport must be chosen while registering; an unknown value falls through to RabbitMQ
        // here and is refused, naming the key, by AlertingCrossFieldValidator before anything starts.
        var inMemory = DeliveryTransports.IsInMemory(configuration[$"{AlertingOptions.SectionName}:{nameof(AlertingOptions.Transport)}"]);
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        // MassTransit writes the trace into its messages only while its activities are listened to;
        // with its source traced, a webhook POST continues the trace of the alert that caused it.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(MassTransit.Logging.DiagnosticHeaders.DefaultListenerName));
        services.AddMassTransit(x =>
        {
            // MassTransit 8.4+ reports usage telemetry to its vendor at every start unless told not
            // to; a security service must not call out to third parties. (The environment variable
            // MASSTRANSIT_USAGE_TELEMETRY=false does the same, and =true would override this.)
            x.DisableUsageTelemetry();
            x.AddConsumer<DeliverWebhookConsumer>();
            if (inMemory)
            {
                x.UsingInMemory((context, cfg) => ConfigureDeliveryEndpoint(context, cfg));
            }
            else
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    var rabbit = context.GetRequiredService<IOptions<AlertingOptions>>().Value.RabbitMq;
                    cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, h =>
                    {
                        h.Username(rabbit.Username);
                        h.Password(rabbit.Password);
                        // Send completes only after the broker confirmed the (persistent) message.
                        h.PublisherConfirmation = true;
                    });
                    ConfigureDeliveryEndpoint(context, cfg);
                });
            }
        });

        services.AddSingleton<DeliveryQueue>();
        services.AddSingleton<RedeliveryStore>();
        services.AddDeferred<RedeliveryStore>();
        services.AddHostedService<RedeliveryScheduler>();
        return services;
    }

    private static void ConfigureDeliveryEndpoint(IBusRegistrationContext context, IBusFactoryConfigurator cfg)
    {
        var options = context.GetRequiredService<IOptions<AlertingOptions>>().Value;
        cfg.ReceiveEndpoint(options.DeliveryQueue, e =>
        {
            e.PrefetchCount = options.ConcurrentDeliveries;
            e.ConcurrentMessageLimit = options.ConcurrentDeliveries;
            // Only infrastructure faults get here (Redis or Kafka unreachable while rescheduling or
            // dead-lettering): webhook failures are handled inside the consumer. After these the
            // message moves to the durable "<queue>_error" queue, where an operator can move it back.
            e.UseMessageRetry(r => r.Intervals(200, 1000, 5000, 15000, 30000));
            e.ConfigureConsumer<DeliverWebhookConsumer>(context);
        });
    }
}
