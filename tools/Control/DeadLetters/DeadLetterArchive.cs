using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Control.DeadLetters;

/// <summary>
/// Reads a dead-letter topic from the beginning up to its current end (no consumer group, nothing
/// committed) and re-publishes chosen letters to their source topic, key unchanged, so the
/// service consumes them again. Receivers de-duplicate the targets that already had the alert on
/// its Idempotency-Key.
/// </summary>
public sealed class DeadLetterArchive(KafkaOptions options)
{
    public IReadOnlyList<StoredDeadLetter> ReadAll(string topic, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(options)).Build();
        var metadata = admin.GetMetadata(topic, timeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError)
            throw new InvalidOperationException($"Dead-letter topic '{topic}' cannot be read: {metadata?.Error.Reason ?? "not found"}.");

        var config = KafkaClientConfigs.Consumer(options, "deadletters-cli", "deadletters-cli-" + Guid.NewGuid().ToString("N"));
        config.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var ends = new Dictionary<int, long>();
        foreach (var partition in metadata.Partitions)
        {
            var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition.PartitionId), timeout);
            if (watermarks.High > watermarks.Low) ends[partition.PartitionId] = watermarks.High;
        }

        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var letters = new List<StoredDeadLetter>();
        var deadline = DateTime.UtcNow + timeout;
        while (ends.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Reading '{topic}' did not reach its end within {timeout.TotalSeconds:0} s ({letters.Count} letters read).");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null) continue;
            letters.Add(new StoredDeadLetter(result.Partition.Value, result.Offset.Value, DeadLetter.Parser.ParseFrom(result.Message.Value)));
            if (result.Offset.Value + 1 >= ends[result.Partition.Value]) ends.Remove(result.Partition.Value);
        }

        return [.. letters.OrderBy(l => l.Letter.Timestamp?.ToDateTimeOffset()).ThenBy(l => l.Partition).ThenBy(l => l.Offset)];
    }

    /// <summary>
    /// Publishes each letter's original key and payload to its source topic. Letters that do not hold
    /// the whole original (see <see cref="StoredDeadLetter.WhyNotResendable"/>) are refused before
    /// anything is sent: a truncated alert re-sent as if whole would be a different, broken message.
    /// </summary>
    /// <exception cref="InvalidOperationException">One line naming the letters refused and why.</exception>
    public async Task ResendAsync(IEnumerable<StoredDeadLetter> letters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        var chosen = letters.ToList();
        var refused = chosen.Select(l => (l.Position, Why: l.WhyNotResendable())).Where(r => r.Why is not null).ToList();
        if (refused.Count > 0)
        {
            var more = refused.Count > 1 ? $" ({refused.Count - 1} more refused: {string.Join(", ", refused.Skip(1).Take(10).Select(r => r.Position))}{(refused.Count > 11 ? ", …" : "")})" : "";
            throw new InvalidOperationException($"Dead letter {refused[0].Position} cannot be re-sent: {refused[0].Why}{more}; nothing was re-sent.");
        }

        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "deadletters-cli")).Build();
        foreach (var stored in chosen)
        {
            var letter = stored.Letter;
            var message = new Message<byte[], byte[]>
            {
                Key = letter.Key.ToByteArray(),
                Value = letter.Payload.ToByteArray(),
                Headers = [new Header("resent-from", System.Text.Encoding.UTF8.GetBytes(stored.Position))],
            };
            await producer.ProduceAsync(letter.SourceTopic, message, cancellationToken).ConfigureAwait(false);
        }

        producer.Flush(cancellationToken);
    }
}
