using System.Diagnostics;

namespace Streaming.Detection.Decision;

/// <summary>
/// Where a <see cref="WindowEvidenceBuilder"/>'s time goes, summed over the windows it built: the
/// per-input scores, the scan's per-node levels (both per event) and the scan's search over subsets
/// (per window). For benchmarks and diagnostics; a few timestamps per event cost nothing measurable.
/// Thread-safe.
/// </summary>
public sealed class EvidenceTimings
{
    private long _windows;
    private long _scoringTicks;
    private long _levelTicks;
    private long _searchTicks;
    private long _computedEvents;
    private long _reusedEvents;

    public long Windows => Interlocked.Read(ref _windows);

    /// <summary>Events whose score and levels were computed.</summary>
    public long ComputedEvents => Interlocked.Read(ref _computedEvents);

    /// <summary>Events whose score and levels came from the <see cref="EventEvidenceCache"/>.</summary>
    public long ReusedEvents => Interlocked.Read(ref _reusedEvents);

    public TimeSpan Scoring => Elapsed(ref _scoringTicks);

    public TimeSpan ScanLevels => Elapsed(ref _levelTicks);

    public TimeSpan ScanSearch => Elapsed(ref _searchTicks);

    /// <summary>Starts every sum again from zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _windows, 0);
        Interlocked.Exchange(ref _scoringTicks, 0);
        Interlocked.Exchange(ref _levelTicks, 0);
        Interlocked.Exchange(ref _searchTicks, 0);
        Interlocked.Exchange(ref _computedEvents, 0);
        Interlocked.Exchange(ref _reusedEvents, 0);
    }

    internal void AddWindow() => Interlocked.Increment(ref _windows);

    internal void AddEvents(int computed, int reused)
    {
        Interlocked.Add(ref _computedEvents, computed);
        Interlocked.Add(ref _reusedEvents, reused);
    }

    internal void AddScoring(long ticks) => Interlocked.Add(ref _scoringTicks, ticks);

    internal void AddLevels(long ticks) => Interlocked.Add(ref _levelTicks, ticks);

    internal void AddSearch(long ticks) => Interlocked.Add(ref _searchTicks, ticks);

    private static TimeSpan Elapsed(ref long ticks) => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref ticks));
}
