using System.CommandLine;
using Streaming.Control.Benchmarks;
using Streaming.Control.DeadLetters;
using Streaming.Control.Demo;
using Streaming.Control.Evaluation;
using Streaming.Control.Hosting;
using Streaming.Control.LoadTest;
using Streaming.Control.RedTeam;
using Streaming.Control.References;
using Streaming.Control.Replay;
using Streaming.Control.Workshop;

namespace Streaming.Control.Cli;

/// <summary>
/// The <c>control</c> command tree and its one entry point. Every failure — a parse error, a bad value, a missing
/// file, an unreachable broker or endpoint — ends here as one <c>error: …</c> line on stderr and exit code 2.
/// </summary>
public static class ControlCli
{
    public const int FailureExitCode = 2;

    /// <summary>Exit code of a run the user interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int CancelledExitCode = 130;

    public static RootCommand CreateRootCommand() => new("Control CLI of the streaming adversarial-input detector.")
    {
        DemoCommand.Create(),
        TrainCommand.Create(),
        CalibrateCommand.Create(),
        ReferencesCommand.Create(),
        KafkaMockCommand.Create(),
        BenchmarkCommand.Create(),
        ReplayCommand.Create(),
        LoadTestCommand.Create(),
        DeadLettersCommand.Create(),
        AttackCommand.Create(),
        TrafficCommand.Create(),
        EvaluateCommand.Create(),
        EvaluateScoresCommand.Create(),
        EvaluateOnlineCommand.Create(),
        ScanEvaluateCommand.Create(),
        BenchDetectorCommand.Create(),
        BenchBackendCommand.Create(),
        BenchScoresCommand.Create(),
        BenchCaptureCommand.Create(),
        BenchWindowingCommand.Create(),
        ExportTorchScriptCommand.Create(),
        RedTeamCommand.Create(),
    };

    /// <summary>Parses and runs <paramref name="args"/>; failures are written to <paramref name="error"/> as one line.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var parse = CreateRootCommand().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // System.CommandLine's own report is several lines plus the help text; one line is what scripts can read.
            error.WriteLine(CliError.Line(string.Join("; ", parse.Errors.Select(e => e.Message).Distinct())));
            return FailureExitCode;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException ex) when (ex.InnerException is not TimeoutException)
        {
            // Ctrl+C; an HttpClient timeout is also an OperationCanceledException, but with a TimeoutException inside.
            error.WriteLine(CliError.Line("cancelled."));
            return CancelledExitCode;
        }
        catch (Exception ex)
        {
            error.WriteLine(CliError.Describe(ex));
            if (CliError.TraceRequested) error.WriteLine(ex);
            return FailureExitCode;
        }
    }
}
