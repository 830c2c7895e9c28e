using Streaming.Detection.Decision;

namespace Streaming.UnitTests.Detection.Decision;

public sealed class BinomialTailTests
{
    [Fact]
    public void UpperShare_MedianAndUpperQuantileOfBeta()
    {
        // Beta(1, 1) is uniform: its 0.95 quantile is 0.95; Beta(10, 991) has mean 0.00999.
        Assert.Equal(0.95, BinomialTail.UpperShare(1, 1, 0.95), 6);
        var upper = BinomialTail.UpperShare(10, 1000, 0.95);
        Assert.InRange(upper, 0.0140, 0.0170);
    }
}
