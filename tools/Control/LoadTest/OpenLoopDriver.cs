using System.Diagnostics;
using Confluent.Kafka;
using HdrHistogram;

namespace Streaming.Control.LoadTest;

/// <summary>
/// Sends requests on a fixed schedule whether or not earlier ones have answered (open loop), so a
/// slow server shows up as latency instead of quietly lowering the offered rate. Latency is taken
/// from each request's scheduled time, which also counts the time it waited to be sent. What a request
/// is (an HTTP call, a batch of Kafka produces) is the caller's send function; one that throws counts as an error.
/// </summary>
public sealed class OpenLoopDriver(int maxOutstanding = 512)
{
    // Microseconds, up to 10 minutes, 3 significant digits.
    private readonly LongHistogram _latency = new(600_000_000, 3);
    private int _outstanding;
    private long _sent;
    private long _errors;
    private long _skipped;

    public long Sent => Interlocked.Read(ref _sent);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Requests not sent because maxOutstanding were in flight (the server had stalled).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public LatencyPercentiles Latency()
    {
        lock (_latency)
        {
            return _latency.TotalCount == 0
                ? new LatencyPercentiles(0, 0, 0, 0)
                : new LatencyPercentiles(Ms(_latency.GetValueAtPercentile(50)), Ms(_latency.GetValueAtPercentile(95)), Ms(_latency.GetValueAtPercentile(99)), _latency.TotalCount);
        }
    }

    /// <summary>Runs one phase: <paramref name="itemsPerSecond"/> items (images, events) in requests of <paramref name="batch"/> items.</summary>
    public async Task RunAsync(TimeSpan duration, double itemsPerSecond, int batch, Func<long, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(batch / itemsPerSecond);
        var requests = (long)Math.Max(1, duration.TotalSeconds * itemsPerSecond / batch);
        var inFlight = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; i < requests; i++)
        {
            var due = TimeSpan.FromTicks(interval.Ticks * i);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
            if (Volatile.Read(ref _outstanding) >= maxOutstanding)
            {
                Interlocked.Increment(ref _skipped);
                continue;
            }

            inFlight.Add(SendAsync(send, i, start, due, cancellationToken));
            if (inFlight.Count > 4 * maxOutstanding) inFlight.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SendAsync(Func<long, CancellationToken, Task> send, long index, long start, TimeSpan due, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _outstanding);
        try
        {
            await send(index, cancellationToken);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _errors);
        }
        catch (KafkaException)
        {
            // Includes ProduceException (queue full, delivery failed).
            Interlocked.Increment(ref _errors);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _errors);
        }
        finally
        {
            Interlocked.Decrement(ref _outstanding);
            Interlocked.Increment(ref _sent);
            var latency = Stopwatch.GetElapsedTime(start) - due;
            lock (_latency) _latency.RecordValue(Math.Max(1, (long)(latency.TotalMilliseconds * 1000)));
        }
    }

    private static double Ms(long microseconds) => microseconds / 1000.0;
}
