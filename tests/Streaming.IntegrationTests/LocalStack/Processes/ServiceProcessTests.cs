using Streaming.LocalStack;
using Streaming.LocalStack.Processes;

namespace Streaming.IntegrationTests.LocalStack.Processes;

/// <summary>A service that dies while starting says why in the launcher's error, not only in its log file.</summary>
public sealed class ServiceProcessTests
{
    [Fact]
    public async Task WaitHealthyAsync_ServiceExitsAtStart_ErrorCarriesItsExitCodeAndTheLastLinesOfItsOutput()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var paths = RepoPaths.Discover();
        // Rejected by the options' validation at start: the host throws, which ends the process with SIGABRT (134).
        await using var service = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), FreePort.Next(),
            new Dictionary<string, string> { ["WindowStore__Size"] = "0" },
            Path.Combine(paths.Artifacts, "test-logs", nameof(ServiceProcessTests)));
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.WaitHealthyAsync(http, TimeSpan.FromSeconds(45), cts.Token));

        Assert.Contains("Service Windowing exited with code 134 during start-up", error.Message, StringComparison.Ordinal);
        Assert.Contains("WindowStore:Size must be at least 2", error.Message, StringComparison.Ordinal);
    }
}
