using Confluent.Kafka;

namespace Streaming.Inference;

/// <summary>
/// Waits for the delivery reports of one request's messages, so the request is answered only once
/// Kafka took all of them (202 means published, not merely queued in this process).
/// </summary>
internal sealed class BatchDelivery(int expected)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining = expected;
    private int _failures;
    private string? _firstError;

    public Task Completed => _done.Task;

    public int Failures => Volatile.Read(ref _failures);

    public string? FirstError => Volatile.Read(ref _firstError);

    public void OnDelivered(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failures);
            Interlocked.CompareExchange(ref _firstError, $"{report.Error.Code}: {report.Error.Reason}", null);
        }

        Arrived(1);
    }

    /// <summary>Messages that were never queued will never report.</summary>
    public void NotQueued(int count) => Arrived(count);

    private void Arrived(int count)
    {
        if (Interlocked.Add(ref _remaining, -count) <= 0)
            _done.TrySetResult();
    }
}
