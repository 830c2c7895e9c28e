namespace Streaming.Messaging;

/// <summary>Whether a consumer makes progress, as /health/ready and streaming.consumer.stalled report it.</summary>
/// <param name="Topic">The topic it consumes.</param>
/// <param name="GroupId">Its consumer group.</param>
/// <param name="Stalled">True when it cannot make progress (see <see cref="KafkaOptions.ConsumerStalledAfterMs"/>).</param>
/// <param name="Description">What it is doing, for the health report.</param>
public sealed record ConsumerProgress(string Topic, string GroupId, bool Stalled, string Description);
