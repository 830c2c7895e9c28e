using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Streaming.Detection.WindowTest;
using Streaming.Detector.References;

namespace Streaming.UnitTests.Detector;

/// <summary>Windows without a reference cost a log line per model version and interval, with the count since the last one, not a line per window.</summary>
public sealed class WithoutReferenceLogTests
{
    [Fact]
    public void Note_ManyWindowsWithinTheInterval_LogsOnceThenTheCountAfterIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var logger = new ListLogger();
        var log = new WithoutReferenceLog(TimeSpan.FromMinutes(1), time, logger);

        for (var i = 0; i < 5; i++)
            log.Note("cnn", "v2", DetectionStatus.Uncalibrated);
        log.Note("cnn", "v3", DetectionStatus.Uncalibrated);
        time.Advance(TimeSpan.FromMinutes(1));
        log.Note("cnn", "v2", DetectionStatus.Uncalibrated);

        Assert.Equal(3, logger.Lines.Count);
        Assert.StartsWith("1 window(s) of model cnn version v2 not tested, status uncalibrated", logger.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith("1 window(s) of model cnn version v3", logger.Lines[1], StringComparison.Ordinal);
        Assert.StartsWith("5 window(s) of model cnn version v2", logger.Lines[2], StringComparison.Ordinal);
        Assert.Contains("control references activate", logger.Lines[2], StringComparison.Ordinal);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
