using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Streaming.LocalStack.Servers;

/// <summary>
/// A throw-away redis-server on a free loopback port, without persistence. Used by the tests and
/// by the demo CLI where no Redis is configured. Disposing kills the server.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    public const string ServerPathVariable = "REDIS_SERVER";
    private const string DefaultServerPath = "/usr/bin/redis-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly ProcessOutputTail _output;

    private RedisServerProcess(Process process, ProcessOutputTail output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The redis-server process (for its CPU time).</summary>
    public int ProcessId => _process.Id;

    /// <summary>"127.0.0.1:port", usable as a StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Starts redis-server (REDIS_SERVER or /usr/bin/redis-server) and returns once it answers PING.</summary>
    public static Task<RedisServerProcess> StartAsync(CancellationToken ct) =>
        StartAsync(Environment.GetEnvironmentVariable(ServerPathVariable) is { Length: > 0 } configured ? configured : DefaultServerPath, ct);

    /// <summary>Starts the given redis-server binary and returns once it answers PING.</summary>
    public static async Task<RedisServerProcess> StartAsync(string serverPath, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverPath);
        if (!File.Exists(serverPath))
        {
            throw new FileNotFoundException(
                $"redis-server not found at '{serverPath}'. Install it with `apt-get install redis-server` " +
                $"or point the {ServerPathVariable} environment variable at the binary.", serverPath);
        }

        // A free port can be taken between probing and binding; retry a few times in that case.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var output = new ProcessOutputTail();
            var process = Launch(serverPath, port, output);
            try
            {
                await WaitForPingAsync(process, port, output, ct).ConfigureAwait(false);
                return new RedisServerProcess(process, output, port);
            }
            catch (Exception) when (attempt < attempts && process.HasExited)
            {
                process.Dispose();
            }
            catch
            {
                await LocalServer.KillAsync(process).ConfigureAwait(false);
                process.Dispose();
                throw;
            }
        }
    }

    /// <summary>Recent server output, for error messages.</summary>
    public string RecentOutput => _output.ToString();

    public async ValueTask DisposeAsync()
    {
        await LocalServer.KillAsync(_process).ConfigureAwait(false);
        _process.Dispose();
    }

    private static Process Launch(string serverPath, int port, ProcessOutputTail output)
    {
        var startInfo = new ProcessStartInfo(serverPath);
        foreach (var arg in new[]
                 {
                     "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--bind", "127.0.0.1",
                     "--save", "",
                     "--appendonly", "no",
                     "--daemonize", "no",
                     "--loglevel", "warning",
                 })
        {
            startInfo.ArgumentList.Add(arg);
        }

        return LocalServer.StartDrained(startInfo, output);
    }

    private static Task WaitForPingAsync(Process process, int port, ProcessOutputTail output, CancellationToken ct) =>
        LocalServer.WaitReadyAsync(process, "redis-server", $"answer PING on port {port}", token => TryPingAsync(port, token),
            StartTimeout, TimeSpan.FromMilliseconds(20), output, ct);

    private static async Task<bool> TryPingAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), ct).ConfigureAwait(false);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
