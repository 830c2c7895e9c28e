using System.Text;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.Messaging;
using Streaming.LocalStack.Kafka;
using Streaming.ServiceDefaults;

namespace Streaming.IntegrationTests.Kafka.Consumers;

/// <summary>
/// A web host as a service builds it (service defaults, AddKafka, /health/ready over real HTTP)
/// running one <see cref="ScriptedConsumer"/> against the embedded mock cluster, with a short
/// max.poll.interval.ms so that a consume loop that stops polling leaves its group within seconds.
/// </summary>
internal sealed class ConsumerTestHost : IAsyncDisposable
{
    /// <summary>librdkafka's smallest value with session.timeout.ms 3000 (it must not be below it).</summary>
    public const int MaxPollIntervalMs = 3000;

    private readonly WebApplication _app;

    private ConsumerTestHost(WebApplication app, RecordingLoggerProvider logs, Uri address)
    {
        _app = app;
        Logs = logs;
        Address = address;
    }

    public RecordingLoggerProvider Logs { get; }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A fresh cluster with <paramref name="topic"/> (and its dead-letter topic).</summary>
    public static MockKafkaCluster StartCluster(string topic, int partitions)
    {
        var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic(topic, partitions);
        cluster.CreateTopic(Topics.DeadLetterOf(topic), 1);
        return cluster;
    }

    public static async Task<ConsumerTestHost> StartAsync(MockKafkaCluster cluster, ConsumerScript script, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:SessionTimeoutMs"] = "3000",
            ["Kafka:HeartbeatIntervalMs"] = "500",
            ["Kafka:Properties:max.poll.interval.ms"] = MaxPollIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        var logs = new RecordingLoggerProvider(LogLevel.Information);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddKafka(builder.Configuration);
        builder.Services.AddSingleton(script);
        builder.Services.AddHostedService<ScriptedConsumer>();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ConsumerTestHost(app, logs, new Uri(address));
    }

    /// <summary>Produces <paramref name="values"/> to <paramref name="partition"/> of <paramref name="topic"/>, in order.</summary>
    public static void Produce(MockKafkaCluster cluster, string topic, int partition, IEnumerable<byte[]> values)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(MockKafkaSettings.Options(cluster), "test")).Build();
        foreach (var value in values)
            producer.Produce(new TopicPartition(topic, partition), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("k"), Value = value });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }

    public static void Produce(MockKafkaCluster cluster, string topic, int partition, params string[] values) =>
        Produce(cluster, topic, partition, values.Select(Encoding.UTF8.GetBytes));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
