using System.CommandLine;
using Streaming.Control.Commands;

var root = new RootCommand("Control CLI of the streaming adversarial-input detector.")
{
    DemoCommand.Create(),
    TrainCommand.Create(),
    CalibrateCommand.Create(),
    KafkaMockCommand.Create(),
    BenchmarkCommand.Create(),
    BenchCaptureCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
