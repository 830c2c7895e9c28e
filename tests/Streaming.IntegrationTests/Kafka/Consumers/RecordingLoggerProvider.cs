using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Streaming.IntegrationTests.Kafka.Consumers;

/// <summary>Keeps every log line (level and text) so that tests can assert what was logged and at which level.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Entries => _entries.ToList();

    public IEnumerable<string> Lines(LogLevel level, string contains) =>
        Entries.Where(e => e.Level == level && e.Text.Contains(contains, StringComparison.Ordinal)).Select(e => e.Text);

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(string category, ConcurrentQueue<(LogLevel, string, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                entries.Enqueue((logLevel, category, formatter(state, exception)));
        }
    }
}
