using System.Diagnostics;
using StackExchange.Redis;
using Streaming.LocalStack;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// A private redis-server on a fixed port that can be stopped (SHUTDOWN SAVE: its data goes to a
/// snapshot in its own folder) and started again on the same port with that data, as an
/// operator's restart or a short network partition looks to its clients. With <c>appendOnly</c> it
/// persists as compose runs it (an append-only file), fsynced on every write so that a kill
/// (<see cref="KillAsync"/>) loses nothing a client was told was written.
/// </summary>
internal sealed class RestartableRedis(bool appendOnly = false) : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("redis-outage-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task StartAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("REDIS_SERVER") is { Length: > 0 } path ? path : "/usr/bin/redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory, "--dbfilename", "dump.rdb", "--save", "", "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always", "--loglevel", "warning" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",connectTimeout=500");
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, ct);
            }
        }
    }

    /// <summary>Saves a snapshot and stops the server; its clients see connection failures until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true"))
        {
            try
            {
                connection.GetServer(ConnectionString).Shutdown(ShutdownMode.Always);
            }
            catch (RedisConnectionException)
            {
                // The server closes the connection as it goes: expected.
            }
        }

        await _process!.WaitForExitAsync();
    }

    /// <summary>Kills the server without a save: what survives is only what the append-only file holds.</summary>
    public async Task KillAsync()
    {
        _process!.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
