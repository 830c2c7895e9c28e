using System.CommandLine;
using System.Reflection;
using Streaming.Control.Cli;
using Streaming.LocalStack;

namespace Streaming.UnitTests.Control;

/// <summary>
/// Every <c>control</c> command shown in README.md, docs/*.md and services/*/README.md goes through the real command tree:
/// it must parse without errors and every option's value must convert (System.CommandLine 2.0 reports a type it
/// cannot convert only when the value is read, so a parse alone would pass <c>--url http://…</c> on an
/// <c>Option&lt;Uri&gt;</c> without a parser). The markdown is read at test time, so commands added later are covered.
/// Nothing is run.
/// </summary>
public sealed class ReadmeCommandsTests
{
    private static readonly string Root = RepoPaths.Discover().Root;

    private static readonly MethodInfo GetValueOfOption = typeof(ParseResult).GetMethods()
        .Single(m => m.Name == nameof(ParseResult.GetValue) && m.IsGenericMethodDefinition
            && m.GetParameters() is [{ ParameterType: { IsGenericType: true } p }] && p.GetGenericTypeDefinition() == typeof(Option<>));

    public static TheoryData<string, string[]> DocumentedCommands()
    {
        var data = new TheoryData<string, string[]>();
        foreach (var file in ReadmeCommandLines.DocumentedFiles(Root))
        {
            foreach (var command in ReadmeCommandLines.InFile(file, Root))
                data.Add(command.Location, [.. command.Arguments]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedCommands))]
    public void Parse_DocumentedCommand_HasNoErrorsAndEveryValueConverts(string location, string[] arguments)
    {
        var parse = ControlCli.CreateRootCommand().Parse(arguments);

        var line = $"{location}: control {string.Join(' ', arguments)}";
        Assert.True(parse.Errors.Count == 0, $"{line}\n  {string.Join("\n  ", parse.Errors.Select(e => e.Message))}");
        Assert.True(parse.CommandResult.Command.Action is not null, $"{line}: '{parse.CommandResult.Command.Name}' runs nothing by itself.");
        // --help and --version carry no value (their value type is void).
        foreach (var option in OptionsInScope(parse.CommandResult.Command, parse).Where(o => o.ValueType != typeof(void)))
        {
            var error = ConversionError(parse, option);
            Assert.True(error is null, $"{line}: {option.Name}: {error}");
        }
    }

    [Fact]
    public void DocumentedCommands_RepositoryReadme_FindsCommandsOfSeveralKinds()
    {
        var commands = ReadmeCommandLines.InFile(Path.Combine(Root, "README.md"), Root);

        // Guards the extractor itself: a regression that finds nothing would make the theory above vacuous.
        Assert.True(commands.Select(c => c.Arguments.FirstOrDefault()).Distinct().Count() >= 3, string.Join('\n', commands));
    }

    private static IEnumerable<Option> OptionsInScope(Command command, ParseResult parse)
    {
        foreach (var option in command.Options) yield return option;
        for (var parent = parse.CommandResult.Parent as System.CommandLine.Parsing.CommandResult; parent is not null; parent = parent.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var option in parent.Command.Options.Where(o => o.Recursive)) yield return option;
        }
    }

    private static string? ConversionError(ParseResult parse, Option option)
    {
        try
        {
            GetValueOfOption.MakeGenericMethod(option.ValueType).Invoke(parse, [option]);
            return null;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            return ex.InnerException.Message;
        }
    }
}
