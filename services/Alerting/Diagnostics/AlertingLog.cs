using Microsoft.Extensions.Logging;

namespace Streaming.Alerting.Diagnostics;

/// <summary>Every log line of the Alerting service, source-generated. None of them carries a secret.</summary>
internal static partial class AlertingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} delivered to {Target} in {Attempts} attempt(s), {ElapsedMs:F0} ms")]
    public static partial void Delivered(ILogger logger, string alertId, string target, int attempts, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} to {Target}: attempt {Attempt} failed ({Failure}); retrying in {DelayMs:F0} ms")]
    public static partial void Retrying(ILogger logger, string alertId, string target, int attempt, string failure, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} could not be delivered to {Target} in {Attempts} attempt(s): {Failure}")]
    public static partial void DeliveryFailed(ILogger logger, string alertId, string target, int attempts, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit of {Target} opened for {BreakSeconds:F0} s after {Failure}")]
    public static partial void CircuitOpened(ILogger logger, string target, double breakSeconds, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit of {Target} closed again")]
    public static partial void CircuitClosed(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alerting consumes {Topic} and delivers to {Count} webhook(s): {Targets}; {Rules} rule(s)")]
    public static partial void Configured(ILogger logger, string topic, int count, string targets, int rules);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Target} has no Secret or SecretFile: its deliveries are not signed")]
    public static partial void Unsigned(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert {AlertId} matched rule {Rule} but is held back ({Reason})")]
    public static partial void Suppressed(ILogger logger, string alertId, string rule, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} to {Target}: round {Round} failed after {Attempts} attempt(s) in all; next round at {DueAt:O} from the retry store")]
    public static partial void RedeliveryScheduled(ILogger logger, string alertId, string target, int round, int attempts, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} to {Target} dead-lettered: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string alertId, string target, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} due delivery(ies) from the retry store back onto the delivery queue")]
    public static partial void RedeliveriesMoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retry store pass failed; trying again in {DelayMs:F0} ms")]
    public static partial void RedeliveryPassFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deliveries go through {Transport} queue {Queue} ({Durability}); retry store {RetryStore}")]
    public static partial void Transport(ILogger logger, string transport, string queue, string durability, string retryStore);
}
