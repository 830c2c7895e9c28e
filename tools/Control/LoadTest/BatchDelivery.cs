using Confluent.Kafka;

namespace Streaming.Control.LoadTest;

/// <summary>
/// One task for a batch of produced messages, completed by the last delivery report (on the producer's
/// poll thread), faulted with the first failure. A task per message (ProduceAsync) costs a completion and a
/// thread-pool continuation each: at 12,000 events/s the load generator's pool threads then spent most of
/// their time being switched in and out, CPU the pipeline under test shares on one machine.
/// </summary>
public sealed class BatchDelivery
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;
    private Exception? _failure;

    public BatchDelivery(int messages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messages, 1);
        _remaining = messages;
    }

    public Task Task => _done.Task;

    /// <summary>The delivery handler of each message of the batch.</summary>
    public void Report(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
            Interlocked.CompareExchange(ref _failure, new ProduceException<byte[], byte[]>(report.Error, report), null);
        Settle(1);
    }

    /// <summary>The last <paramref name="messages"/> of the batch were refused before being queued (<paramref name="reason"/>): no report will come for them.</summary>
    public void NotSent(int messages, Exception reason)
    {
        Interlocked.CompareExchange(ref _failure, reason, null);
        Settle(messages);
    }

    private void Settle(int messages)
    {
        if (Interlocked.Add(ref _remaining, -messages) != 0) return;
        if (Volatile.Read(ref _failure) is { } failure) _done.SetException(failure);
        else _done.SetResult();
    }
}
