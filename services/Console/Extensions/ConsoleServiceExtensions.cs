using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Streaming.Console.Assets;
using Streaming.Console.Consumers;
using Streaming.Console.Diagnostics;
using Streaming.Console.History;
using Streaming.Console.Inputs;
using Streaming.Console.Live;
using Streaming.Console.Options;
using Streaming.Console.Pages;
using Streaming.Redis;

namespace Streaming.Console.Extensions;

public static class ConsoleServiceExtensions
{
    /// <summary>
    /// Options (validated at start), Redis, the history writer and reader, the two consumers, the
    /// live feed and metrics. Expects <c>AddKafka</c> to have been called (dead letters, TimeProvider).
    /// </summary>
    public static TBuilder AddConsole<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<ConsoleOptions>()
            .Bind(builder.Configuration.GetSection(ConsoleOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>());
        services.AddRedis(builder.Configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddProblemDetails();
        services.AddSingleton<ConsoleMetrics>();
        services.AddSingleton<HistoryWriter>();
        services.AddSingleton<HistoryReader>();
        services.AddSingleton<CapturedInputReader>();
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        services.AddHostedService<DetectionHistoryConsumer>();
        services.AddHostedService<AlertHistoryConsumer>();
        return builder;
    }

    /// <summary>The pages, their data and assets; anything else gets the 404 page.</summary>
    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapGet("/", StreamsPage.HandleAsync);
        app.MapGet("/stream", StreamPage.HandleAsync);
        app.MapGet("/alerts", AlertsPage.HandleAsync);
        app.MapGet("/alert", AlertPage.HandleAsync);
        app.MapGet("/inputs/{eventId}.png", InputImageEndpoint.HandleAsync);
        app.MapGet("/api/windows", WindowsEndpoint.HandleAsync);
        app.MapGet("/api/live", LiveEndpoint.HandleAsync);
        app.MapGet("/assets/{**path}", (string path, HttpContext context) => EmbeddedAssets.Serve(path, context));
        app.MapFallback((HttpContext context) => Html.NotFound($"Nothing at {context.Request.Path}.", "The console has streams (/) and alerts (/alerts)."));
        return app;
    }
}
