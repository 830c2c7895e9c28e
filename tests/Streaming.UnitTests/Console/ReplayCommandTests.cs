using Streaming.Console.History;
using Streaming.Console.Pages;
using Streaming.Contracts;

namespace Streaming.UnitTests.Console;

public sealed class ReplayCommandTests
{
    private static readonly DateTimeOffset LastEvent = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_StreamAlert_NamesModelStreamAndTheRangeBeforeItsLastEvent()
    {
        var command = ReplayCommand.For(Alert("mnist-cnn", "tenant-a"), "kafka:9092", TimeSpan.FromMinutes(5));

        Assert.Equal("control replay --bootstrap 'kafka:9092' --model 'mnist-cnn' --stream 'tenant-a' --from 2026-03-14T08:55:00.000Z --to 2026-03-14T09:00:01.000Z", command);
    }

    [Fact]
    public void For_ModelWideAlert_ReplaysEveryStreamOfTheModel()
    {
        var command = ReplayCommand.For(Alert("mnist-cnn", WindowScopes.ModelWideStreamId), "kafka:9092", TimeSpan.FromMinutes(1));

        Assert.DoesNotContain("--stream", command, StringComparison.Ordinal);
    }

    [Fact]
    public void For_StreamWithQuoteAndSpaces_IsOneShellWord()
    {
        var command = ReplayCommand.For(Alert("m", "it's; rm -rf /"), "k:1", TimeSpan.FromMinutes(1));

        Assert.Contains("--stream 'it'\\''s; rm -rf /'", command, StringComparison.Ordinal);
    }

    private static AlertRecord Alert(string model, string stream) => new(
        "a1", model, "1", stream, "w1", LastEvent.AddSeconds(2).ToUnixTimeMilliseconds(), LastEvent.ToUnixTimeMilliseconds(),
        0.001, 0.05, "high", "", [], [], []);
}
