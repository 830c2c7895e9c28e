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
    BenchDetectorCommand.Create(),
    BenchCaptureCommand.Create(),
    ExportTorchScriptCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
