using Streaming.Control.Cli;

// A crash on a thread the command does not await (a librdkafka callback, a timer) is still one line and exit code 2.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Console.Error.WriteLine(e.ExceptionObject is Exception ex ? CliError.Describe(ex) : CliError.Line("unexpected failure."));
    Console.Error.Flush();
    Environment.Exit(ControlCli.FailureExitCode);
};

return await ControlCli.RunAsync(args, Console.Error);
