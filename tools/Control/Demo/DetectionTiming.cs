namespace Streaming.Control.Demo;

/// <summary>
/// When one window's detection passed each point on its way here: the event that completed the window, the
/// detection's creation in the Detector (after the test), its arrival at this observer, and the Detector's own
/// test time. Wall clocks of one machine (the embedded pipeline), so differences between them are stage times.
/// </summary>
public sealed record DetectionTiming(string WindowId, DateTimeOffset LastEvent, DateTimeOffset Detected, DateTimeOffset Arrived, double TestMs)
{
    public double TotalMs => (Arrived - LastEvent).TotalMilliseconds;
}
