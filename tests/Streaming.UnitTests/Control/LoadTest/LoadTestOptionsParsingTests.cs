using Streaming.Control.Cli;
using Streaming.Control.LoadTest;

namespace Streaming.UnitTests.Control.LoadTest;

/// <summary>The loadtest command's source and transport options, and its refusals: one line naming the option.</summary>
public sealed class LoadTestOptionsParsingTests
{
    [Theory]
    [InlineData("--source", "loadtest", "--source", "frames")]
    [InlineData("--source", "loadtest", "--source", "1")]
    [InlineData("--transport", "loadtest", "--source", "events", "--transport", "grpc")]
    public void Parse_BadValue_OneErrorNamingTheOption(string option, params string[] arguments)
    {
        var parse = ControlCli.CreateRootCommand().Parse(arguments);

        var error = Assert.Single(parse.Errors);
        Assert.StartsWith(option + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_EventsOverHttp_CaseInsensitiveNames()
    {
        var loadtest = ControlCli.CreateRootCommand().Subcommands.Single(c => c.Name == "loadtest");

        var parse = loadtest.Parse(["--source", "Events", "--transport", "HTTP"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(LoadSource.Events, parse.GetValue<LoadSource?>("--source"));
        Assert.Equal(EventTransport.Http, parse.GetValue<EventTransport?>("--transport"));
    }

    [Fact]
    public void Options_EventsWithoutTransport_KafkaAndTheDefaultPhases()
    {
        var options = LoadTestCommand.Options(LoadSource.Events, null, 400, [], 20, 30);

        Assert.Equal(LoadSource.Events, options.Source);
        Assert.Equal(EventTransport.Kafka, options.Transport);
        Assert.Equal(20, options.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(30), options.DrainTimeout);
        Assert.Equal(["clean", "attack"], options.Phases.Select(p => p.Name));
        Assert.All(options.Phases, p => Assert.Equal(400, p.Rate));
    }

    [Fact]
    public void Options_NoSource_ImagesAsBefore()
    {
        var options = LoadTestCommand.Options(null, null, 100, ["steady:10:0:50"], 10, 60);

        Assert.Equal(LoadSource.Images, options.Source);
        Assert.Equal(50, Assert.Single(options.Phases).Rate);
    }

    [Theory]
    [InlineData("--transport", null, "http", 100, 10, 60)]
    [InlineData("--transport", "images", "kafka", 100, 10, 60)]
    [InlineData("--rate", "events", null, 0, 10, 60)]
    [InlineData("--batch", "events", null, 100, 0, 60)]
    [InlineData("--drain-timeout", "events", null, 100, 10, -1)]
    public void Options_BadCombinationOrValue_ArgumentExceptionNamingTheOption(string option, string? source, string? transport, double rate, int batch, double drain)
    {
        var ex = Assert.Throws<ArgumentException>(() => LoadTestCommand.Options(
            source is null ? null : Enum.Parse<LoadSource>(source, ignoreCase: true),
            transport is null ? null : Enum.Parse<EventTransport>(transport, ignoreCase: true),
            rate, [], batch, drain));

        Assert.StartsWith(option + ":", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Options_InstancesOutOfRange_ArgumentExceptionNamingTheOption(int instances)
    {
        var ex = Assert.Throws<ArgumentException>(() => LoadTestCommand.Options(LoadSource.Events, null, 100, [], 10, 60, instances));

        Assert.StartsWith("--instances:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_TwoInstances_AreCarriedToTheRun()
    {
        Assert.Equal(1, LoadTestCommand.Options(LoadSource.Events, null, 100, [], 10, 60).Instances);
        Assert.Equal(2, LoadTestCommand.Options(LoadSource.Events, null, 100, [], 10, 60, 2).Instances);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Options_StreamsOutOfRange_ArgumentExceptionNamingTheOption(int streams)
    {
        var ex = Assert.Throws<ArgumentException>(() => LoadTestCommand.Options(LoadSource.Events, null, 100, [], 10, 60, 1, streams));

        Assert.StartsWith("--streams:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_EightStreams_EachPhaseSpreadOverItsOwnNumberedStreams()
    {
        var options = LoadTestCommand.Options(LoadSource.Events, null, 100, ["flood:30:0", "attack:10:1"], 10, 60, 2, 8);

        Assert.Equal(8, options.Streams);
        Assert.Equal(["load-flood"], options.Phases[0].StreamsOf(1));
        var flood = options.Phases[0].StreamsOf(options.Streams);
        Assert.Equal(8, flood.Distinct().Count());
        Assert.Equal("load-flood-0", flood[0]);
        Assert.Empty(flood.Intersect(options.Phases[1].StreamsOf(options.Streams)));
    }

    [Theory]
    [InlineData("clean:abc:0")]
    [InlineData("twice:5:0", "twice:5:1")]
    public void Options_BadPhases_ArgumentExceptionNamingPhase(params string[] phases)
    {
        var ex = Assert.Throws<ArgumentException>(() => LoadTestCommand.Options(LoadSource.Events, null, 100, phases, 10, 60));

        Assert.StartsWith("--phase:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--source", "loadtest", "--source", "frames")]
    [InlineData("--transport", "loadtest", "--transport", "http")]
    [InlineData("--phase", "loadtest", "--source", "events", "--phase", "x:0:0")]
    public async Task RunAsync_BadLoadTestCommandLine_OneErrorLineNamingTheOptionAndExitCode2(string option, params string[] arguments)
    {
        using var error = new StringWriter();

        var exitCode = await ControlCli.RunAsync(arguments, error);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: " + option + ":", line, StringComparison.Ordinal);
    }
}
