using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;
using Streaming.Alerting.Consumers;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;
using Streaming.Alerting.Rules;
using Streaming.Alerting.Safety;
using Streaming.Redis;

namespace Streaming.Alerting.Extensions;

public static class AlertingServiceExtensions
{
    /// <summary>
    /// Options (validated at start, rules file merged in), the SSRF-guarded webhook HttpClient,
    /// per-target pipelines, rules (Redis when a rule is stateful or the retry store is on), metrics,
    /// the delivery transport (MassTransit) and the alert consumer.
    /// Expects <c>AddKafka</c> to have been called (producer, dead letters, TimeProvider).
    /// </summary>
    public static TBuilder AddAlerting<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        AddRulesFile(builder.Configuration);
        var services = builder.Services;
        services.AddOptions<AlertingOptions>()
            .Bind(builder.Configuration.GetSection(AlertingOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertingOptions>, AlertingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertingOptions>, AlertingCrossFieldValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<AlertingMetrics>();

#pragma warning disable EXTEXP0001
        services.AddHttpClient(WebhookDelivery.HttpClientName, client =>
            {
                // The pipeline's attempt timeout is the only deadline.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Every connection goes through the guard: the resolved address is checked, not the name.
                ConnectCallback = new SsrfConnectGuard(sp.GetRequiredService<IOptions<AlertingOptions>>().Value.AllowPrivateNetworks).ConnectAsync,
                // A redirect could lead anywhere (http, an internal host); webhooks must answer where configured.
                AllowAutoRedirect = false,
                MaxResponseHeadersLength = 64, // KiB
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                UseProxy = false,
            })
            // ServiceDefaults adds the standard handler (with its own retries) to every client;
            // webhooks must be retried only by our pipeline, or one alert would be sent up to 4 x 5 times.
            // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001) in 10.11; the test
            // HandleAsync_TargetAlways503_MakesExactlyRetriesPlusOneAttemptsThenDeadLetters catches a behaviour change.
            .RemoveAllResilienceHandlers()
            // The factory's default loggers write the full request URI in every request line and
            // scope, and a webhook URL is a credential; WebhookDelivery logs each outcome itself,
            // naming the target, never its URL.
            .RemoveAllLoggers();
#pragma warning restore EXTEXP0001
        // Traces would carry the full URL too (url.full): webhook requests are not traced; their
        // outcomes are in the Streaming.Alerting metrics and logs, under the target's name.
        services.Configure<HttpClientTraceInstrumentationOptions>(options =>
        {
            var previous = options.FilterHttpRequestMessage;
            options.FilterHttpRequestMessage = request =>
                !(request.Options.TryGetValue(WebhookDelivery.IsWebhookRequest, out var isWebhook) && isWebhook)
                && (previous?.Invoke(request) ?? true);
        });

        // Used only when a rule is stateful (streak or cooldown) or the retry store is on, so other set-ups need no Redis.
        services.AddRedis(builder.Configuration, usedWhen: sp =>
            sp.GetRequiredService<IOptions<AlertingOptions>>().Value is var o && (o.Rules.Any(r => r.IsStateful) || o.Redelivery.Enabled));
        services.AddSingleton<RuleStateStore>();
        services.AddDeferred<RuleStateStore>();
        services.AddSingleton<AlertRouter>();
        services.AddSingleton<TargetRegistry>();
        services.AddSingleton<WebhookDelivery>();
        // Before the Kafka consumer: its first alert needs a started bus.
        services.AddAlertingTransport(builder.Configuration);
        services.AddHostedService<AlertConsumer>();
        return builder;
    }

    /// <summary>Alerting:RulesFile: a JSON file shaped like the configuration ({"Alerting": {"Rules": [...]}}).</summary>
    private static void AddRulesFile(IConfigurationManager configuration)
    {
        var path = configuration[$"{AlertingOptions.SectionName}:{nameof(AlertingOptions.RulesFile)}"];
        if (string.IsNullOrWhiteSpace(path)) return;
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new OptionsValidationException(AlertingOptions.SectionName, typeof(AlertingOptions), [$"{AlertingOptions.SectionName}:RulesFile '{path}' does not exist."]);
        configuration.AddJsonFile(full, optional: false, reloadOnChange: false);
    }
}
