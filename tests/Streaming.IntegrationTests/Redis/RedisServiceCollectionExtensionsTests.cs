using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.Redis;

namespace Streaming.IntegrationTests.Redis;

/// <summary>The one Redis registration of every service, against a real redis-server.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class RedisServiceCollectionExtensionsTests(RedisFixture redis)
{
    [Fact]
    public async Task AddRedis_RedisRunning_ReadinessPingsIt()
    {
        await using var provider = Build(services => services.AddRedis(Configuration(redis.ConnectionString)));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);

        var entry = report.Entries[RedisServiceCollectionExtensions.HealthCheckName];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.StartsWith("PING", entry.Description, StringComparison.Ordinal);
        Assert.True(provider.GetRequiredService<IConnectionMultiplexer>().IsConnected);
    }

    [Fact]
    public async Task AddRedis_NothingListens_ReadinessUnhealthy()
    {
        // A port nothing listens on: the multiplexer does not abort at start, the check reports it.
        const string nowhere = "127.0.0.1:1,connectTimeout=200,syncTimeout=500,asyncTimeout=500";
        await using var provider = Build(services => services.AddRedis(Configuration(nowhere)));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[RedisServiceCollectionExtensions.HealthCheckName].Status);
    }

    [Fact]
    public void AddRedis_NoConnectionString_FailsAtStartNamingTheKey()
    {
        using var provider = new ServiceCollection().AddLogging().AddRedis(Configuration(null)).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Redis:ConnectionString", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRedis_UsedWhenFalse_ReadyWithoutConnectionStringAndNothingValidatedAtStart()
    {
        // Validated at start like any service's own options, next to the Redis registration.
        await using var provider = Build(services => services.AddRedis(Configuration(null), usedWhen: _ => false)
            .AddOptions<HealthCheckServiceOptions>().ValidateOnStart());

        provider.GetRequiredService<IStartupValidator>().Validate();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);

        var entry = report.Entries[RedisServiceCollectionExtensions.HealthCheckName];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains("not used", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRedis_UsedWhenTrue_ReadinessPingsRedis()
    {
        await using var provider = Build(services => services.AddRedis(Configuration(redis.ConnectionString), usedWhen: _ => true));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);

        Assert.StartsWith("PING", report.Entries[RedisServiceCollectionExtensions.HealthCheckName].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRedis_CalledTwice_OneReadinessCheck()
    {
        var configuration = Configuration(redis.ConnectionString);
        await using var provider = Build(services => services.AddRedis(configuration).AddRedis(configuration));

        // Two checks of one name would make every readiness probe throw.
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Single(report.Entries, e => e.Key == RedisServiceCollectionExtensions.HealthCheckName);
    }

    private static ServiceProvider Build(Action<IServiceCollection> addRedis)
    {
        var services = new ServiceCollection().AddLogging();
        addRedis(services);
        return services.BuildServiceProvider();
    }

    private static IConfiguration Configuration(string? connectionString) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(connectionString is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["Redis:ConnectionString"] = connectionString })
            .Build();
}
