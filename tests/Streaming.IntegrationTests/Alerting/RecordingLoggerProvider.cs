using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>
/// A logger provider that keeps every line it is given, at every level, with its category, its
/// exception and the text of every scope it was written in: what a log sink would store.
/// </summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            // The structured values too: a sink may store them apart from the message.
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) line.Append($" | {key}={value}");
            if (exception is not null) line.Append(" | ").Append(exception);
            provider._scopes.ForEachScope((scope, builder) => builder.Append(" | scope: ").Append(scope), line);
            provider._lines.Enqueue(line.ToString());
        }
    }
}
