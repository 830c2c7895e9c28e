namespace Streaming.WindowStore;

/// <summary>
/// When a count window closes, the one statement of the rule: per (model, stream), or per model for
/// the model-wide window, keep the last Size events; a window closes when Slide events arrived since
/// the previous one and Size are held. So a stream yields its first window at its Size-th event,
/// then one every Slide events.
/// </summary>
/// <remarks>
/// The append script (<see cref="WindowScripts.Append"/>) decides it inside Redis, where it must be
/// atomic with the append, through <see cref="LuaFunction"/>, the same rule written in Lua next to
/// the C# one; replay, the CLI's traffic planning and the tests count windows with the C# members.
/// A test runs both over a grid of sizes and slides on a real redis-server.
/// </remarks>
public static class CountWindowRule
{
    /// <summary>
    /// <c>closesCountWindow(sincePrevious, held, size, slide)</c> in Lua: the same test as
    /// <see cref="Closes"/>, for the append script.
    /// </summary>
    internal const string LuaFunction = """
        local function closesCountWindow(sincePrevious, held, size, slide)
          return sincePrevious >= slide and held >= size
        end

        """;

    /// <summary>
    /// Whether a window closes now: <paramref name="sincePrevious"/> events arrived since the previous
    /// window (this one included) and <paramref name="held"/> (at most Size) are held.
    /// </summary>
    public static bool Closes(long sincePrevious, long held, int size, int slide) =>
        sincePrevious >= slide && held >= size;

    /// <summary>Count windows a stream of <paramref name="events"/> distinct events completes: one at Size, then one every Slide.</summary>
    public static int ExpectedCount(long events, int size, int slide)
    {
        Check(size, slide);
        return events < size ? 0 : (int)((events - size) / slide) + 1;
    }

    /// <summary>The smallest event count ≥ <paramref name="events"/> that ends exactly on a window (Size + k·Slide), so no event waits for a time flush.</summary>
    public static int WholeWindows(int events, int size, int slide)
    {
        Check(size, slide);
        if (events <= size) return size;
        var extra = events - size;
        return size + ((extra + slide - 1) / slide * slide);
    }

    private static void Check(int size, int slide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slide, 1);
    }
}
