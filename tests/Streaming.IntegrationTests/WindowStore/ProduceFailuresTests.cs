using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using Streaming.Windowing.Publishing;

namespace Streaming.IntegrationTests.WindowStore;

public sealed class ProduceFailuresTests
{
    [Theory]
    [InlineData(ErrorCode.MsgSizeTooLarge, true)]
    [InlineData(ErrorCode.InvalidMsg, true)]
    [InlineData(ErrorCode.InvalidRecord, true)]
    [InlineData(ErrorCode.Local_ValueSerialization, true)]
    [InlineData(ErrorCode.Local_MsgTimedOut, false)]
    [InlineData(ErrorCode.Local_AllBrokersDown, false)]
    [InlineData(ErrorCode.NotLeaderForPartition, false)]
    [InlineData(ErrorCode.Local_Transport, false)]
    public void IsPermanent_KafkaErrorCode_OnlyWhenTheMessageItselfIsRefused(ErrorCode code, bool expected)
    {
        Assert.Equal(expected, ProduceFailures.IsPermanent(new KafkaException(new Error(code))));
    }

    [Fact]
    public void IsPermanent_FatalClientError_IsNotTheMessagesFault()
    {
        Assert.False(ProduceFailures.IsPermanent(new KafkaException(new Error(ErrorCode.InvalidMsg, "fatal", isFatal: true))));
    }

    [Fact]
    public void IsPermanent_NonKafkaException_IsPermanentExceptCancellationAndDisposal()
    {
        Assert.True(ProduceFailures.IsPermanent(new ArgumentException("bad header")));
        Assert.False(ProduceFailures.IsPermanent(new OperationCanceledException()));
        Assert.False(ProduceFailures.IsPermanent(new ObjectDisposedException("producer")));
    }

    [Fact]
    public void OutageLog_SeveralFailuresThenSuccess_ReportsStartOnceAndTheDuration()
    {
        var time = new FakeTimeProvider();
        var outage = new OutageLog(time);

        Assert.Null(outage.Succeeded());
        Assert.True(outage.Failed());
        var since = outage.Since;
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.False(outage.Failed());
        Assert.Equal(since, outage.Since);

        Assert.Equal(TimeSpan.FromSeconds(7), outage.Succeeded());
        Assert.Null(outage.Since);
        Assert.Null(outage.Succeeded());
    }
}
