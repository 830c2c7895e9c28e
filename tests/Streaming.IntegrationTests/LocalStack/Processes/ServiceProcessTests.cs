using System.Net;
using System.Net.Sockets;
using Streaming.LocalStack;
using Streaming.LocalStack.Processes;
using Streaming.LocalStack.Servers;

namespace Streaming.IntegrationTests.LocalStack.Processes;

/// <summary>
/// A service that dies while starting says why in the launcher's error, not only in its log file; one whose
/// free port was taken before it bound it is started again on another.
/// </summary>
public sealed class ServiceProcessTests
{
    [Fact]
    public async Task WaitHealthyAsync_ServiceExitsAtStart_ErrorCarriesItsExitCodeAndTheLastLinesOfItsOutput()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var paths = RepoPaths.Discover();
        // Rejected by the options' validation at start: the host throws, which ends the process with SIGABRT (134).
        await using var service = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"),
            new Dictionary<string, string> { ["WindowStore__Size"] = "0" },
            Path.Combine(paths.Artifacts, "test-logs", nameof(ServiceProcessTests)));
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.WaitHealthyAsync(http, TimeSpan.FromSeconds(45), cts.Token));

        Assert.Contains("Service Windowing exited with code 134 during start-up", error.Message, StringComparison.Ordinal);
        Assert.Contains("WindowStore:Size must be at least 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitHealthyAsync_PickedPortTakenBeforeTheServiceBindsIt_StartsItAgainOnAnotherPort()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var paths = RepoPaths.Discover();
        using var squatter = ListenOnAFreePort(out var taken);
        // Windowing's /health asks Redis, not Kafka. The first port handed out is the squatter's.
        await using var redis = await RedisServerProcess.StartAsync(cts.Token);
        await using var service = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), WithRedis(redis.ConnectionString),
            LogDirectory(paths, nameof(WaitHealthyAsync_PickedPortTakenBeforeTheServiceBindsIt_StartsItAgainOnAnotherPort)), taken, FreePort.Next);
        using var http = new HttpClient();

        await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(45), cts.Token);

        Assert.NotEqual(taken, service.BaseAddress.Port);
        using var health = await http.GetAsync(new Uri(service.BaseAddress, "/health"), cts.Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains($"was taken before Windowing bound it; starting it again on port {service.BaseAddress.Port}", await File.ReadAllTextAsync(service.LogPath, cts.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitHealthyAsync_PortTheCallerChoseIsTaken_FailsNamingIt()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var paths = RepoPaths.Discover();
        using var squatter = ListenOnAFreePort(out var taken);
        await using var service = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), WithRedis("127.0.0.1:1"),
            LogDirectory(paths, nameof(WaitHealthyAsync_PortTheCallerChoseIsTaken_FailsNamingIt)), port: taken);
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.WaitHealthyAsync(http, TimeSpan.FromSeconds(45), cts.Token));

        Assert.Contains($"127.0.0.1:{taken}", error.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    // A listener that holds a port without ever answering on it.
    private static TcpListener ListenOnAFreePort(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    // Kafka is unreachable: the service starts and answers /health without it.
    private static Dictionary<string, string> WithRedis(string connectionString) => new()
    {
        ["Kafka__BootstrapServers"] = "127.0.0.1:1",
        ["Redis__ConnectionString"] = connectionString + ",abortConnect=false",
    };

    private static string LogDirectory(RepoPaths paths, string test) => Path.Combine(paths.Artifacts, "test-logs", nameof(ServiceProcessTests), test);
}
