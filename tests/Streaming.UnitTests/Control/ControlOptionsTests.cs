using System.CommandLine;
using Streaming.Control.Cli;

namespace Streaming.UnitTests.Control;

/// <summary>The option types of every command can be converted, and bad values are refused at parse time, naming the option.</summary>
public sealed class ControlOptionsTests
{
    // Types System.CommandLine 2.0 converts by itself (ArgumentConverter); anything else needs a CustomParser.
    private static readonly HashSet<Type> NativelyConverted =
    [
        typeof(string), typeof(bool), typeof(int), typeof(long), typeof(short), typeof(byte), typeof(uint), typeof(ulong),
        typeof(double), typeof(float), typeof(decimal), typeof(TimeSpan), typeof(DateTime), typeof(DateTimeOffset),
        typeof(Guid), typeof(FileInfo), typeof(DirectoryInfo),
    ];

    [Fact]
    public void EveryOption_OfEveryCommand_HasAConvertibleTypeOrACustomParser()
    {
        var unconvertible = AllCommands(ControlCli.CreateRootCommand())
            .SelectMany(c => c.Options.Select(o => (Command: c, Option: o)))
            .Where(x => x.Option.ValueType != typeof(void) && !Convertible(x.Option.ValueType) && !HasCustomParser(x.Option))
            .Select(x => $"{x.Command.Name} {x.Option.Name}: {x.Option.ValueType}")
            .ToList();

        Assert.True(unconvertible.Count == 0, string.Join('\n', unconvertible));
    }

    [Theory]
    [InlineData("--url", "traffic", "--url", "127.0.0.1:18080")]
    [InlineData("--url", "traffic", "--url", "ftp://example.com")]
    [InlineData("--from", "replay", "--bootstrap", "127.0.0.1:9092", "--from", "yesterday")]
    [InlineData("--to", "calibrate", "--bootstrap", "127.0.0.1:9092", "--to", "-5")]
    [InlineData("--n-ref", "bench-backend", "--n-ref", "1000,x")]
    [InlineData("--batch", "bench-backend", "--batch", "0")]
    public void Parse_BadValue_OneErrorNamingTheOption(string option, params string[] arguments)
    {
        var parse = ControlCli.CreateRootCommand().Parse(arguments);

        var error = Assert.Single(parse.Errors);
        Assert.StartsWith(option + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_HttpsUrlWithPath_IsTheUrlGiven()
    {
        var traffic = ControlCli.CreateRootCommand().Subcommands.Single(c => c.Name == "traffic");
        var url = traffic.Options.OfType<Option<Uri>>().Single(o => o.Name == "--url");

        var parse = traffic.Parse(["--url", "https://inference.example:8443/base"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(new Uri("https://inference.example:8443/base"), parse.GetValue(url));
    }

    [Theory]
    [InlineData("traffic", "--url", "not a url")]
    [InlineData("train", "--epochs", "many")]
    [InlineData("replay")]
    [InlineData("no-such-command")]
    public async Task RunAsync_BadCommandLine_OneErrorLineAndExitCode2(params string[] arguments)
    {
        using var error = new StringWriter();

        var exitCode = await ControlCli.RunAsync(arguments, error);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_MultiLineMessageInsideAggregate_IsOneLineOfTheInnerMessage()
    {
        var line = CliError.Describe(new AggregateException(new InvalidDataException("first\nsecond\r\nthird")));

        Assert.Equal("error: first second third", line);
    }

    private static bool Convertible(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        element = Nullable.GetUnderlyingType(element) ?? element;
        return element.IsEnum || NativelyConverted.Contains(element);
    }

    private static bool HasCustomParser(Option option) =>
        option.GetType().GetProperty("CustomParser")?.GetValue(option) is not null;

    private static IEnumerable<Command> AllCommands(Command command) =>
        command.Subcommands.SelectMany(AllCommands).Prepend(command);
}
