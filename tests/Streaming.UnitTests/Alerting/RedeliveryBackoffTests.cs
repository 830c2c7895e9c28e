using Streaming.Alerting.Options;
using Streaming.Alerting.Redelivery;

namespace Streaming.UnitTests.Alerting;

public sealed class RedeliveryBackoffTests
{
    private static readonly RedeliverySettings Settings = new() { BaseDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(30) };

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(5, 480)]
    public void Delay_Round_DoublesWithinTwentyPercentJitter(int round, double expectedSeconds)
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var delay = RedeliveryBackoff.Delay(round, Settings, random).TotalSeconds;
            Assert.InRange(delay, expectedSeconds * 0.8, expectedSeconds * 1.2);
        }
    }

    [Fact]
    public void Delay_LateRound_IsCappedAtMaxDelay()
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => RedeliveryBackoff.Delay(50, Settings, random)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMinutes(24), TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void Delay_SameRound_IsJittered()
    {
        var random = new Random(1);
        var delays = Enumerable.Range(0, 20).Select(_ => RedeliveryBackoff.Delay(1, Settings, random)).Distinct().Count();

        Assert.True(delays > 10, $"Only {delays} distinct delays in 20 draws: no jitter.");
    }
}
