using Streaming.Control.Cli;
using Streaming.Control.RedTeam;

namespace Streaming.UnitTests.Control.RedTeam;

public sealed class RedTeamOptionsTests
{
    [Fact]
    public void Expand_Defaults_CleanTwelveMixesSpreadAndTrickleWithTheIssuesBudgets()
    {
        var strategies = new RedTeamOptions().Expand();

        Assert.Equal(15, strategies.Count);
        Assert.Equal("clean", strategies[0].Name);
        var mixes = strategies.Where(s => s.Family == StrategyFamily.Mix).ToList();
        Assert.Equal(12, mixes.Count);
        Assert.Equal([0.05, 0.1, 0.2], mixes.Where(s => s.Attack == "pgd").Select(s => s.Share));
        Assert.All(mixes.Where(s => s.Attack == "fgsm"), s => Assert.Equal(0.1, s.Epsilon));
        Assert.All(mixes.Where(s => s.Attack is "pgd" or "bim"), s => Assert.Equal(0.3, s.Epsilon));
        Assert.All(mixes.Where(s => s.Attack == "deepfool"), s => Assert.Null(s.Epsilon));
        Assert.Contains(strategies, s => s is { Family: StrategyFamily.Spread, Attack: "pgd" });
        Assert.Contains(strategies, s => s is { Family: StrategyFamily.Trickle, Attack: "pgd", TrickleEvery: 50 });
    }

    [Fact]
    public void Expand_NamedAttacksAndBudgets_OnlyThoseWithTheGivenEpsilon()
    {
        var options = new RedTeamOptions
        {
            Strategies = ["mix:fgsm", "trickle:bim"],
            Shares = [0.1],
            Epsilons = new Dictionary<string, double> { ["fgsm"] = 0.2 },
        };

        var strategies = options.Expand();

        Assert.Equal(["mix-fgsm-10%", "trickle-bim-1/50"], strategies.Select(s => s.Name));
        Assert.Equal(0.2, strategies[0].Epsilon);
        Assert.Equal(0.3, strategies[1].Epsilon);
    }

    [Theory]
    [InlineData("wander")]
    [InlineData("mix:carlini")]
    [InlineData("clean:pgd")]
    public void Expand_BadStrategy_ThrowsNamingTheOptionAndToken(string token)
    {
        var error = Assert.Throws<ArgumentException>(() => new RedTeamOptions { Strategies = [token] }.Expand());

        Assert.StartsWith("--strategies: '" + token + "'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--shares", "redteam", "--shares", "0.1,2")]
    [InlineData("--eps", "redteam", "--eps", "pgd:0.3")]
    [InlineData("--url", "redteam", "--bootstrap", "127.0.0.1:9092", "--url", "localhost:5000")]
    public void Parse_BadValue_OneErrorNamingTheOption(string option, params string[] arguments)
    {
        var parse = ControlCli.CreateRootCommand().Parse(arguments);

        var error = Assert.Single(parse.Errors);
        Assert.StartsWith(option + ":", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bootstrap", "redteam", "--url", "http://127.0.0.1:5000")]
    [InlineData("--api-key", "redteam", "--bootstrap", "10.1.2.3:9092", "--url", "http://10.1.2.3:5000")]
    [InlineData("--api-key", "redteam", "--api-key", "k")]
    [InlineData("--permutations", "redteam", "--bootstrap", "127.0.0.1:9092", "--url", "http://127.0.0.1:5000", "--permutations", "100")]
    [InlineData("--strategies", "redteam", "--strategies", "mix,wander")]
    [InlineData("--images", "redteam", "--images", "0")]
    public async Task RunAsync_InconsistentOptions_OneErrorLineNamingTheOptionAndExitCode2BeforeAnyWork(string option, params string[] arguments)
    {
        using var error = new StringWriter();

        var exitCode = await ControlCli.RunAsync(arguments, error);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(option, line, StringComparison.Ordinal);
    }
}
