using System.CommandLine;
using Streaming.Control.Commands;

var root = new RootCommand("Control CLI of the streaming adversarial-input detector.")
{
    DemoCommand.Create(),
    TrainCommand.Create(),
    CalibrateCommand.Create(),
    KafkaMockCommand.Create(),
    BenchmarkCommand.Create(),
    ReplayCommand.Create(),
    LoadTestCommand.Create(),
    DeadLettersCommand.Create(),
    AttackCommand.Create(),
    TrafficCommand.Create(),
    EvaluateCommand.Create(),
    EvaluateOnlineCommand.Create(),
    BenchDetectorCommand.Create(),
    BenchCaptureCommand.Create(),
    ExportTorchScriptCommand.Create(),
};
try
{
    // Our own handler: a bad input is one line naming what is wrong, not a stack trace.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
