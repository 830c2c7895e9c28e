using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;
using Streaming.Alerting.Delivery;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>What the Alerting wiring tells third-party libraries about reporting and tracing.</summary>
public sealed class AlertingTelemetryTests
{
    [Fact]
    public void AddAlerting_AnyTransport_DisablesMassTransitUsageTelemetry()
    {
        foreach (var transport in new[] { "inmemory", "rabbitmq" })
        {
            using var host = AlertingHost.Build("127.0.0.1:9", [("ops", "http://127.0.0.1:1/ok")], extra: new Dictionary<string, string?>
            {
                ["Alerting:Transport"] = transport,
                ["Alerting:RabbitMq:Host"] = "127.0.0.1",
            });

            Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled, transport);
        }
    }

    [Fact]
    public void AddAlerting_WebhookRequest_NotTracedWhileOtherRequestsAre()
    {
        using var host = AlertingHost.Build("127.0.0.1:9", [("ops", "http://127.0.0.1:1/ok")]);
        var filter = host.Services.GetRequiredService<IOptionsMonitor<HttpClientTraceInstrumentationOptions>>()
            .Get(Microsoft.Extensions.Options.Options.DefaultName).FilterHttpRequestMessage;
        using var webhook = new HttpRequestMessage(HttpMethod.Post, "https://hooks.example.com/services/SECRET");
        webhook.Options.Set(WebhookDelivery.IsWebhookRequest, true);
        using var other = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/");

        Assert.NotNull(filter);
        Assert.False(filter(webhook));
        Assert.True(filter(other));
    }
}
