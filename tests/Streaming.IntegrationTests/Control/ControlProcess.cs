using System.Diagnostics;
using Streaming.Control.Cli;
using Streaming.LocalStack;

namespace Streaming.IntegrationTests.Control;

/// <summary>Runs the built control.dll as a user would (`dotnet control.dll …`) and collects its exit code and output.</summary>
public static class ControlProcess
{
    private static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(60);

    public static Task<ControlRun> RunAsync(params string[] arguments) => RunAsync(DefaultLimit, new Dictionary<string, string>(), arguments);

    /// <summary>As above, for a command that runs a while (a pipeline end to end): killed after <paramref name="limit"/>.</summary>
    public static Task<ControlRun> RunAsync(TimeSpan limit, params string[] arguments) => RunAsync(limit, new Dictionary<string, string>(), arguments);

    /// <summary>As above, with <paramref name="environment"/> added to the inherited variables.</summary>
    public static Task<ControlRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) => RunAsync(DefaultLimit, environment, arguments);

    private static async Task<ControlRun> RunAsync(TimeSpan limit, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var paths = RepoPaths.Discover();
        var dll = Path.Combine(paths.Root, "tools", "Control", "bin", paths.Configuration, "net10.0", "control.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = paths.Root,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Settings of the developer's shell must not change what a test sees.
        start.Environment.Remove("CONTROL_TRACE");
        start.Environment.Remove(ApiKeyOption.EnvironmentVariable);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"control {string.Join(' ', arguments)} did not end within {limit.TotalSeconds:0} s.");
        }

        return new ControlRun(process.ExitCode, await stdout, await stderr);
    }
}
