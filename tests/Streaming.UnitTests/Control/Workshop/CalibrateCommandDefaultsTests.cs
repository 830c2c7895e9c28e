using System.CommandLine;
using Streaming.Control.Workshop;

namespace Streaming.UnitTests.Control.Workshop;

/// <summary>
/// `control calibrate` with its defaults draws the sample the demo, the load test and the red team use
/// (<see cref="CleanSample"/>: 1,000 reference + 2,000 calibration inputs), so a reference it writes or
/// publishes is the one they would calibrate. Its reference count once defaulted to the calibration count.
/// </summary>
public sealed class CalibrateCommandDefaultsTests
{
    [Fact]
    public void Parse_NoCounts_ReferenceAndCalibrationCountsOfTheSharedSample()
    {
        var command = CalibrateCommand.Create();

        var parse = command.Parse("");

        Assert.Equal(CleanSample.DefaultReferenceCount, parse.GetValue(IntOption(command, "--count")));
        Assert.Equal(CleanSample.DefaultCalibrationCount, parse.GetValue(IntOption(command, "--calibration-count")));
        Assert.NotEqual(CleanSample.DefaultReferenceCount, CleanSample.DefaultCalibrationCount);
    }

    private static Option<int> IntOption(Command command, string name) =>
        command.Options.OfType<Option<int>>().Single(o => o.Name == name);
}
