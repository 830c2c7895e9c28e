using Confluent.Kafka;

namespace Streaming.Messaging;

/// <summary>
/// A message taken from the consumer and not yet settled, with the assignment epoch of its
/// partition when it was taken: if the partition is revoked or lost meanwhile (the epoch moved on),
/// another member owns the message now and it is dropped without storing its offset.
/// </summary>
internal readonly record struct HeldMessage(ConsumeResult<byte[], byte[]> Result, int Epoch);
