using System.Diagnostics;
using System.Globalization;

namespace Streaming.Control.LoadTest;

/// <summary>
/// CPU time of the load test's processes (each service, redis-server, and this process: the load
/// generator and the embedded Kafka broker) and of the whole machine (/proc/stat) over a run, per
/// event carried: what the pipeline costs on this machine, and so the most it could carry here.
/// </summary>
public sealed class CpuBudget : IDisposable
{
    private readonly IReadOnlyList<(string Name, Process Process, TimeSpan Start)> _processes;
    private readonly (long Busy, long Total) _machineStart;

    private CpuBudget(IReadOnlyList<(string Name, Process Process, TimeSpan Start)> processes, (long Busy, long Total) machineStart) =>
        (_processes, _machineStart) = (processes, machineStart);

    /// <summary>Starts counting now for the named processes (a process already gone is left out).</summary>
    public static CpuBudget Start(IEnumerable<(string Name, int ProcessId)> processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var started = new List<(string, Process, TimeSpan)>();
        foreach (var (name, id) in processes)
        {
            try
            {
                var process = Process.GetProcessById(id);
                started.Add((name, process, process.TotalProcessorTime));
            }
            catch (ArgumentException)
            {
            }
        }
        return new CpuBudget(started, MachineJiffies());
    }

    /// <summary>
    /// Microseconds of CPU per event since <see cref="Start"/>, per process (null for one that exited or
    /// was restarted meanwhile), and the machine's busy time per event and its share of all cores.
    /// </summary>
    public CpuBudgetReport Stop(long events)
    {
        var perEvent = new List<(string Name, double? MicrosPerEvent)>();
        foreach (var (name, process, start) in _processes)
        {
            double? micros = null;
            try
            {
                process.Refresh();
                if (!process.HasExited)
                    micros = (process.TotalProcessorTime - start).TotalMicroseconds / Math.Max(1, events);
            }
            catch (InvalidOperationException)
            {
            }
            perEvent.Add((name, micros));
        }

        var (busy, total) = MachineJiffies();
        var (busyDelta, totalDelta) = (busy - _machineStart.Busy, total - _machineStart.Total);
        // Jiffies are 1/100 s (USER_HZ) on Linux; the elapsed wall time is the total over all cores.
        var machineMicros = busyDelta * 10_000.0 / Math.Max(1, events);
        var busyShare = totalDelta > 0 ? busyDelta / (double)totalDelta : 0;
        return new CpuBudgetReport(perEvent, machineMicros, busyShare, Environment.ProcessorCount);
    }

    public void Dispose()
    {
        foreach (var (_, process, _) in _processes)
            process.Dispose();
    }

    /// <summary>The machine's busy and total jiffies over all cores (the first line of /proc/stat); zeros where there is none.</summary>
    private static (long Busy, long Total) MachineJiffies()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
            var total = fields.Take(8).Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }
}
