using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Inference.Api;

namespace Streaming.UnitTests.Inference;

public sealed class ActivationBatchScannerTests
{
    [Fact]
    public void CountEvents_Batch_CountsWithoutParsing()
    {
        var batch = new ActivationBatch();
        for (var i = 0; i < 5; i++)
            batch.Events.Add(new ActivationEvent { PredictedClass = i, Layers = { new LayerActivation { Layer = "l", Values = { 1f, 2f } } } });

        Assert.Equal(5, ActivationBatchScanner.CountEvents(batch.ToByteArray(), maxEvents: 10));
    }

    [Fact]
    public void CountEvents_SixteenMegabytesOfEmptyEvents_StopsJustPastTheLimit()
    {
        // Field 1, length 0, eight million times: what a hostile client can fit in 16 MB.
        var body = new byte[16 * 1024 * 1024];
        for (var i = 0; i < body.Length; i += 2) body[i] = 0x0A;

        Assert.Equal(257, ActivationBatchScanner.CountEvents(body, maxEvents: 256));
    }

    [Fact]
    public void CountEvents_Garbage_ThrowsInvalidProtocolBuffer()
    {
        Assert.Throws<InvalidProtocolBufferException>(() => ActivationBatchScanner.CountEvents([0x0A, 0x7F, 0x01], maxEvents: 10));
    }
}
