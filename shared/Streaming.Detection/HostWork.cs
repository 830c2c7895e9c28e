using System.Runtime.ExceptionServices;

namespace Streaming.Detection;

/// <summary>
/// Runs one call's independent items of managed work on up to a given number of threads: the calling thread
/// takes items too, so a busy thread pool only makes the call serial, never stalls it. Items write disjoint
/// outputs and compute each value the same way whatever thread runs them, so results do not depend on the threads.
/// </summary>
internal static class HostWork
{
    public static void Run(int items, int threads, Action<int> item)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentNullException.ThrowIfNull(item);
        if (threads == 1 || items <= 1)
        {
            for (int i = 0; i < items; i++)
            {
                item(i);
            }
            return;
        }
        try
        {
            Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, item);
        }
        catch (AggregateException failed) when (failed.InnerExceptions.Count == 1)
        {
            // The serial path's exception, not a wrapper: callers and their tests see one type either way.
            ExceptionDispatchInfo.Throw(failed.InnerExceptions[0]);
        }
    }
}
