using System.CommandLine;
using Streaming.Control.Cli;

namespace Streaming.UnitTests.Control;

/// <summary>
/// <c>--api-key</c> through the real command tree: every command that calls a running service over HTTP
/// (it has a <c>--url</c>) takes it, the environment variable stands in for it, and a bad key is refused
/// at parse time without being quoted. Tests that set the variable are in this class only, which runs one test at a time.
/// </summary>
public sealed class ApiKeyOptionTests
{
    private const string Key = "control-test-key-0123456789";

    [Fact]
    public void EveryCommandWithAUrl_TakesAnApiKey()
    {
        var commands = AllCommands(ControlCli.CreateRootCommand()).Where(c => c.Options.Any(o => o.Name == "--url")).ToList();

        Assert.NotEmpty(commands);
        Assert.All(commands, c => Assert.Contains(c.Options, o => o.Name == ApiKeyOption.Name));
    }

    [Fact]
    public void Parse_TrafficWithApiKey_IsTheKeyGiven()
    {
        var parse = ControlCli.CreateRootCommand().Parse(["traffic", "--url", "http://127.0.0.1:18080", ApiKeyOption.Name, Key]);

        Assert.Empty(parse.Errors);
        Assert.Equal(Key, parse.GetValue<string?>(ApiKeyOption.Name));
    }

    [Theory]
    [InlineData(Key, Key)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Parse_TrafficWithoutApiKey_TakesTheEnvironmentVariableWhenSet(string? variable, string? expected)
    {
        var before = Environment.GetEnvironmentVariable(ApiKeyOption.EnvironmentVariable);
        Environment.SetEnvironmentVariable(ApiKeyOption.EnvironmentVariable, variable);
        try
        {
            var parse = ControlCli.CreateRootCommand().Parse(["traffic", "--url", "http://127.0.0.1:18080"]);

            Assert.Empty(parse.Errors);
            Assert.Equal(expected, parse.GetValue<string?>(ApiKeyOption.Name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ApiKeyOption.EnvironmentVariable, before);
        }
    }

    [Fact]
    public void Parse_OptionGivenAndVariableSet_TheOptionWins()
    {
        var before = Environment.GetEnvironmentVariable(ApiKeyOption.EnvironmentVariable);
        Environment.SetEnvironmentVariable(ApiKeyOption.EnvironmentVariable, "from-the-environment-0123456789");
        try
        {
            var parse = ControlCli.CreateRootCommand().Parse(["traffic", "--url", "http://127.0.0.1:18080", ApiKeyOption.Name, Key]);

            Assert.Equal(Key, parse.GetValue<string?>(ApiKeyOption.Name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ApiKeyOption.EnvironmentVariable, before);
        }
    }

    [Theory]
    [InlineData("secret with-space-0123456789")]
    [InlineData("secret\r\nX-Injected: 1")]
    public void Parse_KeyWithWhitespaceOrControlCharacters_OneErrorNamingTheOptionNotTheKey(string key)
    {
        var parse = ControlCli.CreateRootCommand().Parse(["traffic", "--url", "http://127.0.0.1:18080", ApiKeyOption.Name, key]);

        var error = Assert.Single(parse.Errors);
        Assert.StartsWith(ApiKeyOption.Name + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_Key_EveryRequestCarriesItInTheApiKeyHeader()
    {
        using var http = new HttpClient();

        ApiKeyOption.Apply(http, Key);

        Assert.Equal([Key], http.DefaultRequestHeaders.GetValues("X-Api-Key"));
    }

    private static IEnumerable<Command> AllCommands(Command command) =>
        new[] { command }.Concat(command.Subcommands.SelectMany(AllCommands));
}
