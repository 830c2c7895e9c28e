using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Streaming.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps every log entry from <paramref name="minimumLevel"/> up, with its category, and the whole
/// line a log sink would store (structured values, exception, the text of every scope), so tests can
/// assert what was logged, at which level, and that no secret reached a sink.
/// </summary>
internal sealed class RecordingLoggerProvider(LogLevel minimumLevel = LogLevel.Trace) : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<RecordedLog> _entries = new();
    private readonly LogLevel _minimumLevel = minimumLevel;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<RecordedLog> Entries => [.. _entries];

    /// <summary>Every entry as a sink would store it: "Level Category: text | key=value … | exception | scope: …".</summary>
    public IReadOnlyList<string> SinkLines => [.. _entries.Select(e => e.SinkLine)];

    /// <summary>The formatted texts at <paramref name="level"/> that contain <paramref name="contains"/>.</summary>
    public IEnumerable<string> Texts(LogLevel level, string contains) =>
        Entries.Where(e => e.Level == level && e.Text.Contains(contains, StringComparison.Ordinal)).Select(e => e.Text);

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var text = formatter(state, exception);
            var line = new StringBuilder($"{logLevel} {category}: {text}");
            // The structured values too: a sink may store them apart from the message.
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) line.Append($" | {key}={value}");
            if (exception is not null) line.Append(" | ").Append(exception);
            provider._scopes.ForEachScope((scope, builder) => builder.Append(" | scope: ").Append(scope), line);
            provider._entries.Enqueue(new RecordedLog(logLevel, category, text, line.ToString()));
        }
    }
}
