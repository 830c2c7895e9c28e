using Streaming.Control.LoadTest;

namespace Streaming.UnitTests.Control.LoadTest;

public sealed class LoadTestParsingTests
{
    [Fact]
    public void Parse_PhaseWithAndWithoutRate()
    {
        Assert.Equal(new LoadPhase("clean", TimeSpan.FromSeconds(20), 0, 100), LoadPhase.Parse("clean:20:0", 100));
        Assert.Equal(new LoadPhase("mix", TimeSpan.FromSeconds(5.5), 0.25, 40), LoadPhase.Parse("mix:5.5:0.25:40", 100));
        Assert.Equal("load-mix", LoadPhase.Parse("mix:1:0", 1).Stream);
    }

    [Theory]
    [InlineData("clean")]
    [InlineData("clean:0:0")]
    [InlineData("clean:10:1.5")]
    [InlineData("clean:10:0:-3")]
    [InlineData("bad name:10:0")]
    public void Parse_BadPhase_SaysTheFormat(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => LoadPhase.Parse(text, 100));

        Assert.Contains("Phase", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ConsumerLag_SumsEverySeriesOfTheGauge()
    {
        const string metrics = """
            # TYPE streaming_consumer_lag gauge
            streaming_consumer_lag{topic="activations"} 12
            streaming_consumer_lag{topic="windows"} 3
            streaming_messages_consumed_total{topic="activations"} 999
            """;

        Assert.Equal(15, ServiceProbe.ConsumerLag(metrics));
        Assert.Null(ServiceProbe.ConsumerLag("streaming_messages_consumed_total 4"));
    }

    [Fact]
    public void SkippedByResetOf_SumsTheCountersSeriesOnly()
    {
        const string metrics = """
            # TYPE streaming_messages_skipped_by_reset_total counter
            streaming_messages_skipped_by_reset_total{topic="activations"} 1563
            streaming_messages_skipped_by_reset_total{topic="windows"} 7
            streaming_messages_skipped_by_reset_total_other 100
            streaming_consumer_lag{topic="activations"} 12
            """;

        Assert.Equal(1570, ServiceProbe.SkippedByResetOf(metrics));
        Assert.Null(ServiceProbe.SkippedByResetOf("streaming_consumer_lag 4"));
    }
}
