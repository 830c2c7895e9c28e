using Microsoft.Extensions.Logging;

namespace Streaming.Console.Diagnostics;

/// <summary>Every log line of the console service, source-generated.</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Console consumes {Topic} in group {GroupId}; history in Redis under {Prefix}, kept {Ttl}")]
    public static partial void Consuming(ILogger logger, string topic, string groupId, string prefix, TimeSpan ttl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates lost their Redis subscription: {Reason}")]
    public static partial void LiveFailed(ILogger logger, string reason);
}
