using Confluent.Kafka;
using Streaming.Control.LoadTest;

namespace Streaming.UnitTests.Control.LoadTest;

/// <summary>A batch's task completes on its last delivery report and carries the first failure.</summary>
public sealed class BatchDeliveryTests
{
    [Fact]
    public async Task Report_EveryMessageDelivered_CompletesOnTheLast()
    {
        var batch = new BatchDelivery(3);

        batch.Report(Delivered());
        batch.Report(Delivered());
        Assert.False(batch.Task.IsCompleted);
        batch.Report(Delivered());

        await batch.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(batch.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Report_OneMessageFailed_FaultsWithItsErrorAfterTheLastReport()
    {
        var batch = new BatchDelivery(3);

        batch.Report(Delivered());
        batch.Report(Failed(ErrorCode.Local_MsgTimedOut));
        Assert.False(batch.Task.IsCompleted);
        batch.Report(Failed(ErrorCode.Local_QueueFull));

        var error = await Assert.ThrowsAsync<ProduceException<byte[], byte[]>>(() => batch.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCode.Local_MsgTimedOut, error.Error.Code);
    }

    [Fact]
    public async Task NotSent_RestOfTheBatchRefused_FaultsOnceTheQueuedOnesReported()
    {
        var batch = new BatchDelivery(4);
        var refused = new KafkaException(ErrorCode.Local_QueueFull);

        batch.NotSent(2, refused);
        Assert.False(batch.Task.IsCompleted);
        batch.Report(Delivered());
        batch.Report(Delivered());

        Assert.Same(refused, await Assert.ThrowsAsync<KafkaException>(() => batch.Task.WaitAsync(TimeSpan.FromSeconds(5))));
    }

    private static DeliveryReport<byte[], byte[]> Delivered() => new() { Error = new Error(ErrorCode.NoError) };

    private static DeliveryReport<byte[], byte[]> Failed(ErrorCode code) => new() { Error = new Error(code) };
}
