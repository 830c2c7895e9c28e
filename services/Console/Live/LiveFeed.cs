using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.Console.Diagnostics;
using Streaming.Console.History;
using Streaming.Console.Options;

namespace Streaming.Console.Live;

/// <summary>
/// Hands each detection recorded by any console instance (they publish on one Redis channel: a
/// stream's partition may be consumed by another instance) to the browsers of this instance that
/// watch its stream. Each browser has a small bounded queue; a slow one loses its oldest updates
/// (the page reloads the history when it reconnects), never the service's memory.
/// </summary>
public sealed class LiveFeed(IConnectionMultiplexer redis, IOptions<ConsoleOptions> options, ILogger<LiveFeed> logger) : IHostedService
{
    private const int QueuePerClient = 256;

    private readonly ConcurrentDictionary<Guid, LiveSubscription> _subscriptions = new();
    private readonly HistoryKeys _keys = new(options.Value.KeyPrefix);
    private ChannelMessageQueue? _queue;

    public int Clients => _subscriptions.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_keys.LiveChannel)).ConfigureAwait(false);
            _queue.OnMessage(message => Dispatch(message.Message.ToString()));
        }
        catch (RedisException ex)
        {
            // The pages still work without live updates; the readiness check reports Redis.
            ConsoleLog.LiveFailed(logger, ex.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue is not null)
            await _queue.UnsubscribeAsync().ConfigureAwait(false);
        foreach (var subscription in _subscriptions.Values)
            subscription.Queue.Writer.TryComplete();
    }

    /// <returns>Null when <see cref="ConsoleOptions.MaxLiveClients"/> are connected already.</returns>
    public LiveSubscription? Subscribe(StreamRef stream)
    {
        if (_subscriptions.Count >= options.Value.MaxLiveClients)
            return null;
        var subscription = new LiveSubscription(stream, id => _subscriptions.TryRemove(id, out _), Channel.CreateBounded<string>(new BoundedChannelOptions(QueuePerClient) { FullMode = BoundedChannelFullMode.DropOldest }));
        _subscriptions[subscription.Id] = subscription;
        return subscription;
    }

    private void Dispatch(string json)
    {
        LiveDetection? detection;
        try
        {
            detection = JsonSerializer.Deserialize(json, HistoryJsonContext.Default.LiveDetection);
        }
        catch (JsonException)
        {
            return;
        }

        if (detection is null) return;
        var point = JsonSerializer.Serialize(detection.Point, HistoryJsonContext.Default.DetectionPoint);
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.Stream.Model == detection.Model && subscription.Stream.Stream == detection.Stream)
                subscription.Queue.Writer.TryWrite(point);
        }
    }
}
