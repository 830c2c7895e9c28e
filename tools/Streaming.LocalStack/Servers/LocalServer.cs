using System.Diagnostics;

namespace Streaming.LocalStack.Servers;

/// <summary>What starting a private server (redis-server, rabbitmq-server) for the demo and the tests always does.</summary>
internal static class LocalServer
{
    /// <summary>Starts <paramref name="start"/> with stdout and stderr drained into <paramref name="output"/>: a server blocks once its pipe buffer is full.</summary>
    public static Process StartDrained(ProcessStartInfo start, ProcessOutputTail output)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Polls <paramref name="ready"/> until it answers true. Throws, with the server's recent output,
    /// when the process exits first or <paramref name="timeout"/> passes.
    /// </summary>
    /// <param name="readiness">What ready means, as in "answer PING on port 6379".</param>
    public static async Task WaitReadyAsync(
        Process process, string server, string readiness, Func<CancellationToken, Task<bool>> ready,
        TimeSpan timeout, TimeSpan interval, ProcessOutputTail output, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
                throw new InvalidOperationException($"{server} exited with code {process.ExitCode} before it could {readiness}. Its output:{Environment.NewLine}{output}");
            if (await ready(ct).ConfigureAwait(false))
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{server} did not {readiness} within {timeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{output}");
            await Task.Delay(interval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the server and its children, if still running, and waits for the exit.</summary>
    public static async Task KillAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
