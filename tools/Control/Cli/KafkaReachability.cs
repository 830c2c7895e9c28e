using System.Diagnostics;
using Confluent.Kafka;

namespace Streaming.Control.Cli;

/// <summary>
/// Asks the cluster for its metadata, with a bounded wait, before a command builds consumers and producers:
/// an unreachable broker is then one clear line naming the address and the option, not a librdkafka exception
/// (or a consumer that waits forever) somewhere in the middle of the run. A refused connection fails at once
/// (librdkafka reports "all brokers down"); an address that does not answer fails after <see cref="ConnectTimeout"/>.
/// </summary>
public static class KafkaReachability
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Attempt = TimeSpan.FromMilliseconds(250);

    public static void Ensure(string bootstrapServers, string optionName)
    {
        if (string.IsNullOrWhiteSpace(bootstrapServers))
            throw new CliFailureException($"{optionName}: no Kafka bootstrap servers given.");
        var config = new AdminClientConfig
        {
            BootstrapServers = bootstrapServers,
            SocketConnectionSetupTimeoutMs = (int)ConnectTimeout.TotalMilliseconds,
        };
        string? lastError = null;
        var allBrokersDown = false;
        try
        {
            // Own handlers: librdkafka would otherwise print its connection errors to stderr, line after line.
            using var admin = new AdminClientBuilder(config)
                .SetLogHandler((_, _) => { })
                .SetErrorHandler((_, error) =>
                {
                    Volatile.Write(ref lastError, error.Reason);
                    if (error.Code == ErrorCode.Local_AllBrokersDown) Volatile.Write(ref allBrokersDown, true);
                })
                .Build();
            var waited = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    admin.GetMetadata(Attempt);
                    return;
                }
                catch (KafkaException) when (waited.Elapsed < ConnectTimeout && !Volatile.Read(ref allBrokersDown))
                {
                    // Not answered yet and not refused either: ask again until the bound.
                }
            }
        }
        catch (KafkaException ex)
        {
            var reason = Volatile.Read(ref lastError) ?? ex.Error.Reason;
            throw new CliFailureException(Volatile.Read(ref allBrokersDown)
                ? $"Kafka at {bootstrapServers} ({optionName}) cannot be reached: {reason}"
                : $"Kafka at {bootstrapServers} ({optionName}) did not answer within {ConnectTimeout.TotalSeconds:0} s: {reason}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new CliFailureException($"{optionName}: '{bootstrapServers}' is not a valid Kafka bootstrap list: {ex.Message}", ex);
        }
    }
}
