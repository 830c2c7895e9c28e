using Microsoft.Extensions.Logging;

namespace Streaming.IntegrationTests.Infrastructure;

/// <summary>One entry a <see cref="RecordingLoggerProvider"/> kept: its formatted text, and the whole line a sink would store.</summary>
internal sealed record RecordedLog(LogLevel Level, string Category, string Text, string SinkLine);
