using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>The window settings' section was renamed from "Windows" to "WindowStore"; the old name still works for one release.</summary>
public sealed class LegacyWindowSectionTests
{
    [Fact]
    public async Task AddRedisWindowWriter_OnlyOldSection_BindsItAndWarnsAtStart()
    {
        var (options, logs) = await StartAsync(new() { ["Windows:Size"] = "60", ["Windows:Slide"] = "30", ["Windows:ModelWide:Enabled"] = "false" });

        Assert.Equal((60, 30, false), (options.Size, options.Slide, options.ModelWide.Enabled));
        var warning = Assert.Single(logs.Texts(LogLevel.Warning, "old section"));
        Assert.Contains("\"Windows\"", warning, StringComparison.Ordinal);
        Assert.Contains("\"WindowStore\"", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRedisWindowWriter_BothSections_NewOneWinsAndOldIsReportedIgnored()
    {
        var (options, logs) = await StartAsync(new() { ["WindowStore:Size"] = "80", ["WindowStore:Slide"] = "40", ["Windows:Size"] = "60", ["Windows:Slide"] = "30" });

        Assert.Equal((80, 40), (options.Size, options.Slide));
        Assert.Single(logs.Texts(LogLevel.Warning, "is ignored"));
        Assert.Empty(logs.Texts(LogLevel.Warning, "old section"));
    }

    [Fact]
    public async Task AddRedisWindowWriter_OnlyNewSection_NoWarning()
    {
        var (options, logs) = await StartAsync(new() { ["WindowStore:Size"] = "80", ["WindowStore:Slide"] = "40" });

        Assert.Equal((80, 40), (options.Size, options.Slide));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void AddRedisWindowWriter_InvalidOldSection_FailsNamingTheCurrentKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Windows:Size"] = "10", ["Windows:Slide"] = "20" })
            .Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRedisWindowWriter().BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WindowOptions>>().Value);

        Assert.Contains("WindowStore:Slide", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<(WindowOptions Options, RecordingLoggerProvider Logs)> StartAsync(Dictionary<string, string?> settings)
    {
        var logs = new RecordingLoggerProvider(LogLevel.Information);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.AddProvider(logs))
            .AddRedisWindowWriter();
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return (provider.GetRequiredService<IOptions<WindowOptions>>().Value, logs);
    }
}
