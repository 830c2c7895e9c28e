using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Streaming.LocalStack.Servers;

/// <summary>
/// A private rabbitmq-server (Debian package) on free loopback ports, with its node name, Mnesia
/// database, logs, plugins file and Erlang cookie in a temporary directory owned by the current
/// user. It runs <c>/usr/lib/rabbitmq/bin/rabbitmq-server</c> directly: the <c>/usr/sbin</c>
/// wrapper switches to user rabbitmq when run as root, which then cannot write a root-owned
/// temporary directory. Used by the tests and the demo. Disposing kills the node and deletes the
/// directory; <see cref="RestartAsync"/> kills it with SIGKILL and starts it again on the same
/// port and data (persistent messages survive).
/// </summary>
public sealed class RabbitMqServerProcess : IAsyncDisposable
{
    public const string ServerPathVariable = "RABBITMQ_SERVER";
    private const string DefaultServerPath = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _serverPath;
    private readonly string _directory;
    private readonly int _distributionPort;
    private Process _process;
    private ProcessOutputTail _output;

    private RabbitMqServerProcess(string serverPath, string directory, int port, int distributionPort, Process process, ProcessOutputTail output)
    {
        _serverPath = serverPath;
        _directory = directory;
        Port = port;
        _distributionPort = distributionPort;
        _process = process;
        _output = output;
    }

    /// <summary>AMQP port on 127.0.0.1.</summary>
    public int Port { get; }

    public string Host => "127.0.0.1";

    /// <summary>The built-in user; RabbitMQ admits it only over loopback, which is all this node listens on.</summary>
    public string Username => "guest";

    public string Password => "guest";

    /// <summary>Recent server output, for error messages.</summary>
    public string RecentOutput => _output.ToString();

    /// <summary>Starts rabbitmq-server (RABBITMQ_SERVER or the Debian path) and returns once it speaks AMQP.</summary>
    public static async Task<RabbitMqServerProcess> StartAsync(CancellationToken ct)
    {
        var serverPath = Environment.GetEnvironmentVariable(ServerPathVariable) is { Length: > 0 } configured ? configured : DefaultServerPath;
        if (!File.Exists(serverPath))
        {
            throw new FileNotFoundException(
                $"rabbitmq-server not found at '{serverPath}'. Install it with `infra/install-deps.sh` (Debian package rabbitmq-server) " +
                $"or point the {ServerPathVariable} environment variable at the server script.", serverPath);
        }

        var directory = Directory.CreateTempSubdirectory("rabbitmq-").FullName;
        var port = FreePort.Next();
        var distributionPort = FreePort.Next();
        var (process, output) = Launch(serverPath, directory, port, distributionPort);
        var server = new RabbitMqServerProcess(serverPath, directory, port, distributionPort, process, output);
        try
        {
            await server.WaitForAmqpAsync(ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the node (SIGKILL, as a crash) and starts it again on the same port and data directory.</summary>
    public Task RestartAsync(CancellationToken ct) => RestartAsync(TimeSpan.Zero, ct);

    /// <summary>Kills the node (SIGKILL, as a crash) and starts it again on the same port and data directory.</summary>
    /// <param name="downFor">
    /// How long the node stays down before it is started again, for an outage of a known least length
    /// (its boot time comes on top, and varies by machine: under 3 s on a fast one).
    /// </param>
    public async Task RestartAsync(TimeSpan downFor, CancellationToken ct)
    {
        await LocalServer.KillAsync(_process).ConfigureAwait(false);
        _process.Dispose();
        await Task.Delay(downFor, ct).ConfigureAwait(false);
        (_process, _output) = Launch(_serverPath, _directory, Port, _distributionPort);
        await WaitForAmqpAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await LocalServer.KillAsync(_process).ConfigureAwait(false);
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp directory is cleaned up by the system eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static (Process Process, ProcessOutputTail Output) Launch(string serverPath, string directory, int port, int distributionPort)
    {
        var start = new ProcessStartInfo(serverPath)
        {
            WorkingDirectory = directory,
        };
        var environment = start.Environment;
        // One node per server: its own name, ports, database, logs, cookie (HOME) and no plugins.
        environment["HOME"] = directory;
        environment["RABBITMQ_NODENAME"] = $"streaming-test-{port}@localhost";
        environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        environment["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia");
        environment["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log");
        environment["RABBITMQ_LOGS"] = Path.Combine(directory, "log", "rabbit.log");
        environment["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbit.pid");
        environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins");
        environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq");
        environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config");
        environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf");
        File.WriteAllText(Path.Combine(directory, "enabled_plugins"), "[].");
        File.WriteAllText(Path.Combine(directory, "rabbitmq-env.conf"), "");
        // A test machine's disk may be nearly full; the default 50 MB free-disk alarm would block publishers.
        File.WriteAllText(Path.Combine(directory, "rabbitmq.conf"), "disk_free_limit.absolute = 1MB\n");

        var output = new ProcessOutputTail();
        return (LocalServer.StartDrained(start, output), output);
    }

    /// <summary>Ready when the node answers the AMQP 0-9-1 protocol header with a method frame (Connection.Start).</summary>
    private Task WaitForAmqpAsync(CancellationToken ct) =>
        LocalServer.WaitReadyAsync(_process, "rabbitmq-server", $"accept AMQP on port {Port}", token => TryHandshakeAsync(Port, token),
            StartTimeout, TimeSpan.FromMilliseconds(100), _output, ct);

    private static async Task<bool> TryHandshakeAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), ct).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var buffer = new byte[1];
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            return read == 1 && buffer[0] == 1;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
