using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Kafka.Consumers;

/// <summary>What a <see cref="ScriptedConsumer"/> does with its messages, and what it saw.</summary>
internal sealed class ConsumerScript(string topic)
{
    public string Topic { get; } = topic;

    public string GroupId { get; init; } = "scripted";

    public int MaxBatchSize { get; init; } = 1;

    public int MaxAttempts { get; init; } = 3;

    /// <summary>Called before a message counts as handled; throw to fail it.</summary>
    public Func<ConsumeResult<byte[], byte[]>, Task> Handle { get; init; } = _ => Task.CompletedTask;

    /// <summary>Called before a whole batch counts as handled; throw to fail it.</summary>
    public Func<IReadOnlyList<ConsumeResult<byte[], byte[]>>, Task> HandleBatch { get; init; } = _ => Task.CompletedTask;

    /// <summary>Used instead of the host's publisher when set (to make dead letters fail).</summary>
    public DeadLetterPublisher? DeadLetters { get; init; }

    /// <summary>Every successful handling, alone or in a batch, in order.</summary>
    public ConcurrentQueue<(int Partition, long Offset, string Value)> Handled { get; } = new();

    /// <summary>Handler calls per message value (alone), successful or not.</summary>
    public ConcurrentDictionary<string, int> Attempts { get; } = new();

    public void RecordHandled(ConsumeResult<byte[], byte[]> result) =>
        Handled.Enqueue((result.Partition.Value, result.Offset.Value, Encoding.UTF8.GetString(result.Message.Value)));

    public IReadOnlyList<string> HandledValues => Handled.Select(h => h.Value).ToList();
}
