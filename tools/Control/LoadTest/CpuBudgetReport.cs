namespace Streaming.Control.LoadTest;

/// <summary>
/// What <see cref="CpuBudget"/> measured: per process its microseconds of CPU per event (null where it
/// exited or restarted), and the whole machine's busy microseconds per event and busy share of its cores.
/// </summary>
public sealed record CpuBudgetReport(
    IReadOnlyList<(string Name, double? MicrosPerEvent)> Processes,
    double MachineMicrosPerEvent,
    double MachineBusyShare,
    int Cores)
{
    /// <summary>The events/s this machine could carry at this cost per event with every core busy.</summary>
    public double? MachineCeiling => MachineMicrosPerEvent > 0 ? Cores * 1_000_000 / MachineMicrosPerEvent : null;
}
