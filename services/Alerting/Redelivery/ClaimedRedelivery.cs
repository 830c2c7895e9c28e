using StackExchange.Redis;
using Streaming.Alerting.Delivery;

namespace Streaming.Alerting.Redelivery;

/// <summary>A due entry of the retry store, claimed by one pass: the stored member (to remove it) and the delivery.</summary>
public sealed record ClaimedRedelivery(RedisValue Member, DeliverWebhook Delivery);
