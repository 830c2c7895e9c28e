using System.Reflection;
using Confluent.Kafka;

namespace Streaming.Control.Cli;

/// <summary>
/// Turns any exception into the one line the CLI prints: <c>error: …</c>, no stack trace. Exceptions the
/// commands raise on purpose (<see cref="CliFailureException"/>, argument, file and format errors) carry a
/// message written for the user; others get their type name so a bug is still recognisable.
/// Set <c>CONTROL_TRACE=1</c> to have the full exception printed after the line.
/// </summary>
public static class CliError
{
    public const string Prefix = "error: ";

    public static bool TraceRequested => Environment.GetEnvironmentVariable("CONTROL_TRACE") is "1" or "true";

    /// <summary>One line: newlines inside the message would break scripts that read the first stderr line.</summary>
    public static string Line(string message) =>
        Prefix + string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static string Describe(Exception exception)
    {
        var ex = Unwrap(exception);
        return Line(ex switch
        {
            CliFailureException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
                or InvalidDataException or FormatException or UnauthorizedAccessException => ex.Message,
            KafkaException kafka => $"Kafka: {kafka.Error.Reason} ({kafka.Error.Code}).",
            HttpRequestException http => $"HTTP: {http.Message}",
            TaskCanceledException { InnerException: TimeoutException timeout } => $"timed out: {timeout.Message}",
            TimeoutException or InvalidOperationException or IOException => ex.Message,
            _ => $"{ex.GetType().Name}: {ex.Message}",
        });
    }

    private static Exception Unwrap(Exception exception)
    {
        var ex = exception;
        while (true)
        {
            switch (ex)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    ex = aggregate.InnerExceptions[0];
                    break;
                case TargetInvocationException { InnerException: { } inner }:
                    ex = inner;
                    break;
                case TypeInitializationException { InnerException: { } inner }:
                    ex = inner;
                    break;
                default:
                    return ex;
            }
        }
    }
}
