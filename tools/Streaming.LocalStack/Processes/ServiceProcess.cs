using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Streaming.LocalStack.Processes;

/// <summary>
/// One service running as its own OS process (`dotnet Service.dll`), with its output in a log
/// file. Stopped with SIGTERM so the Generic Host shuts down cleanly (consumers commit and leave
/// their group), then killed if it does not exit in time.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private const int MaxRelaunches = 3;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly ProcessStartInfo _startInfo;
    private readonly StreamWriter _log;
    private readonly Func<int>? _freePorts;
    private Process _process;
    private int _relaunches;

    private ServiceProcess(string name, ProcessStartInfo startInfo, StreamWriter log, string logPath, int port, Func<int>? freePorts)
    {
        Name = name;
        _startInfo = startInfo;
        _log = log;
        _freePorts = freePorts;
        LogPath = logPath;
        BaseAddress = Launch(port, out _process);
    }

    /// <summary>The service's stdout and stderr.</summary>
    public string LogPath { get; }

    public string Name { get; }

    /// <summary>Where the service listens; moves to another port if the one first picked was taken (see <see cref="Start"/>).</summary>
    public Uri BaseAddress { get; private set; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the service on <paramref name="port"/>, or without one on a loopback port that was free a moment
    /// ago. A free port can be taken by another process (an outgoing connection, another service) between the
    /// pick and the service's bind; then <see cref="WaitHealthyAsync"/> starts it again on a new one, which it
    /// cannot do for a port the caller chose.
    /// </summary>
    public static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment, string logDirectory, int? port = null) =>
        port is { } fixedPort
            ? Start(name, dll, environment, logDirectory, fixedPort, freePorts: null)
            : Start(name, dll, environment, logDirectory, FreePort.Next(), FreePort.Next);

    /// <summary>As <see cref="Start(string, string, IReadOnlyDictionary{string, string}, string, int?)"/>, with the first port and the source of later ones given (tests take a port on purpose).</summary>
    internal static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment, string logDirectory, int port, Func<int>? freePorts)
    {
        if (!File.Exists(dll))
            throw new FileNotFoundException($"Service {name} is not built: {dll} is missing. Run `dotnet build -c Release Streaming.sln` first.", dll);

        Directory.CreateDirectory(logDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        return new ServiceProcess(name, start, log, logPath, port, freePorts);
    }

    private Uri Launch(int port, out Process process)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        _startInfo.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        var log = _log;
        process = new Process { StartInfo = _startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return baseAddress;
    }

    /// <summary>Starts the exited process, which died because its port was taken, again on a new free port, unless the caller chose the port or the tries are spent.</summary>
    private bool TryRelaunchOnAnotherPort()
    {
        if (_freePorts is null || _relaunches >= MaxRelaunches)
            return false;

        _relaunches++;
        var port = _freePorts();
        lock (_log)
            _log.WriteLine($"[launcher] {BaseAddress} was taken before {Name} bound it; starting it again on port {port}.");
        _process.Dispose();
        BaseAddress = Launch(port, out _process);
        return true;
    }

    /// <summary>Waits until /health answers 200; fails early if the process exits.</summary>
    public async Task WaitHealthyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                if (!PortWasTaken())
                    throw new InvalidOperationException($"Service {Name} exited with code {_process.ExitCode} during start-up; see {LogPath}. Its last lines:{Environment.NewLine}{LastLogLines()}");
                if (!TryRelaunchOnAnotherPort())
                    throw new InvalidOperationException($"Service {Name} could not listen on {BaseAddress}: address already in use; see {LogPath}.");
                continue;
            }
            // Each probe is short: whatever took the port may accept the connection and never answer.
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(ProbeTimeout);
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/health"), probe.Token);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"Service {Name} was not healthy within {timeout.TotalSeconds:0} s; see its log.");
    }

    /// <summary>Waits for the process to end by itself (a start-up failure, say) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await _process.WaitForExitAsync(limit.Token);
        // The exit event can precede the last redirected lines; WaitForExit() drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>
    /// The end of the service's output once it exited, without stack frames: waits for the redirected streams to drain
    /// first, since a crash (SIGABRT from native code, say) writes its reason last.
    /// </summary>
    private string LastLogLines(int count = 20)
    {
        // Stack frames would crowd out the messages that say what went wrong.
        string[] lines = [.. ExitedLog().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal))];
        return lines.Length == 0 ? "(none)" : string.Join(Environment.NewLine, lines.TakeLast(count));
    }

    /// <summary>
    /// Whether the exited process failed to bind its address because something else holds it (Kestrel's words).
    /// The whole log is searched: a host that fails to start keeps logging (consumers stopping) after the failure.
    /// </summary>
    private bool PortWasTaken() =>
        ExitedLog().Contains($"Failed to bind to address {BaseAddress.GetLeftPart(UriPartial.Authority)}: address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>The whole log of the exited process, once its redirected streams have drained.</summary>
    private string ExitedLog()
    {
        _process.WaitForExit();
        lock (_log)
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd();
        }
    }

    /// <summary>Ends the process at once, as a crash would (no shutdown hooks run).</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, SigTerm);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
