using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Streaming.Console.Extensions;
using Streaming.LocalStack;
using Streaming.Messaging;
using Streaming.ServiceDefaults;

namespace Streaming.IntegrationTests.Console;

/// <summary>The console's wiring (as in its Program.cs) on Kestrel at a free loopback port, with in-memory configuration.</summary>
internal sealed class ConsoleHost : IAsyncDisposable
{
    private ConsoleHost(WebApplication app, Uri address)
    {
        App = app;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public static WebApplication Build(string bootstrapServers, string redis, string keyPrefix, IReadOnlyDictionary<string, string?>? extra = null, int? port = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Kafka:SessionTimeoutMs"] = "3000",
            ["Kafka:HeartbeatIntervalMs"] = "500",
            ["Redis:ConnectionString"] = redis,
            ["Console:KeyPrefix"] = keyPrefix,
            ["Console:GroupId"] = "console-" + keyPrefix.TrimEnd(':'),
            ["Console:CaptureKeyPrefix"] = keyPrefix + "input:",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port ?? FreePort.Next()}");
        builder.AddServiceDefaults();
        builder.Services.AddKafka(builder.Configuration);
        builder.AddConsole();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapConsole();
        return app;
    }

    public static async Task<ConsoleHost> StartAsync(string bootstrapServers, string redis, string keyPrefix, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var port = FreePort.Next();
        var app = Build(bootstrapServers, redis, keyPrefix, extra, port);
        await app.StartAsync();
        return new ConsoleHost(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
