using Streaming.WindowStore;

namespace Streaming.Control.RedTeam;

/// <summary>
/// What the planner needs to know of the pipeline: images per request, and the per-stream window size and
/// slide, so that every stream gets whole windows (no event waits for Windowing's time flush) and the
/// expected window count is exact.
/// </summary>
public sealed record TrafficShape(int BatchSize, int WindowSize, int WindowSlide)
{
    /// <summary>The smallest count ≥ <paramref name="events"/> that ends exactly on a window: Size + k·Slide.</summary>
    public int WholeWindows(int events) => CountWindowRule.WholeWindows(events, WindowSize, WindowSlide);

    /// <summary>Count windows a stream of <paramref name="events"/> events completes.</summary>
    public int ExpectedWindows(long events) => CountWindowRule.ExpectedCount(events, WindowSize, WindowSlide);

    public void Validate()
    {
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "images per request must be positive.");
        if (WindowSize < 2) throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, "the window needs at least 2 events.");
        if (WindowSlide <= 0 || WindowSlide > WindowSize)
            throw new ArgumentOutOfRangeException(nameof(WindowSlide), WindowSlide, "the slide must be in [1, window size].");
    }
}
