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
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServiceProcess(string name, Process process, StreamWriter log, string logPath, Uri baseAddress)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        BaseAddress = baseAddress;
    }

    /// <summary>The service's stdout and stderr.</summary>
    public string LogPath { get; }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ServiceProcess Start(string name, string dll, int port, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        if (!File.Exists(dll))
            throw new FileNotFoundException($"Service {name} is not built: {dll} is missing. Run `dotnet build -c Release Streaming.sln` first.", dll);

        Directory.CreateDirectory(logDirectory);
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(name, process, log, logPath, baseAddress);
    }

    /// <summary>Waits until /health answers 200; fails early if the process exits.</summary>
    public async Task WaitHealthyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Service {Name} exited with code {_process.ExitCode} during start-up; see {LogPath}. Its last lines:{Environment.NewLine}{LastLogLines()}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/health"), cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
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
        _process.WaitForExit();
        string[] lines;
        lock (_log)
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            // Stack frames would crowd out the messages that say what went wrong.
            lines = [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal))];
        }

        return lines.Length == 0 ? "(none)" : string.Join(Environment.NewLine, lines.TakeLast(count));
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
