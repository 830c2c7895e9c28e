using System.Diagnostics;
using Streaming.Control.LoadTest;

namespace Streaming.UnitTests.Control.LoadTest;

public sealed class CpuBudgetTests
{
    [Fact]
    public void Stop_AfterThisProcessSpun_ItsCpuPerEventAndTheMachinesCoverIt()
    {
        using var budget = CpuBudget.Start([("this", Environment.ProcessId)]);
        var spun = Stopwatch.StartNew();
        var burned = Process.GetCurrentProcess().TotalProcessorTime;
        // At least 150 ms of this process's CPU, however busy the machine is.
        while ((Process.GetCurrentProcess().TotalProcessorTime - burned).TotalMilliseconds < 150 && spun.Elapsed < TimeSpan.FromSeconds(30))
            Thread.SpinWait(10_000);

        var report = budget.Stop(events: 1_000);

        var (name, micros) = Assert.Single(report.Processes);
        Assert.Equal("this", name);
        Assert.InRange(micros!.Value, 150, 30_000_000 / 1_000.0);
        // Both count in 10 ms ticks (10 us per event here), sampled apart: the machine saw at least this
        // process's spin, less a few ticks.
        Assert.True(report.MachineMicrosPerEvent >= micros.Value - 30, $"machine {report.MachineMicrosPerEvent} us, process {micros} us");
        Assert.InRange(report.MachineBusyShare, 0.0, 1.0);
        Assert.Equal(Environment.ProcessorCount, report.Cores);
        Assert.Equal(report.Cores * 1_000_000 / report.MachineMicrosPerEvent, report.MachineCeiling!.Value, 6);
    }

    [Fact]
    public async Task Stop_ProcessExitedMeanwhile_ReportedWithoutAFigure()
    {
        using var shortLived = Process.Start(new ProcessStartInfo("sleep", "0.1") { UseShellExecute = false })!;
        using var budget = CpuBudget.Start([("short", shortLived.Id), ("this", Environment.ProcessId)]);
        await shortLived.WaitForExitAsync();

        var report = budget.Stop(events: 10);

        Assert.Equal(["short", "this"], report.Processes.Select(p => p.Name));
        Assert.Null(report.Processes[0].MicrosPerEvent);
        Assert.NotNull(report.Processes[1].MicrosPerEvent);
    }

    [Fact]
    public void Start_ProcessAlreadyGone_LeftOut()
    {
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();

        using var budget = CpuBudget.Start([("gone", gone.Id)]);
        var report = budget.Stop(events: 10);

        Assert.Empty(report.Processes);
    }
}
