using Streaming.UnitTests.Control;

namespace Streaming.UnitTests.Control.RedTeam;

/// <summary>
/// The README lines proposed for <c>control redteam</c> (README.md is edited by whoever merges) go through
/// the same extractor and the same real-parser check as the README's own commands.
/// </summary>
public sealed class RedTeamReadmeCommandsTests
{
    public const string ProposedReadme = """
        ```bash
        # Evasion strategies against the embedded pipeline (a few minutes): FGSM/PGD/BIM/DeepFool mixed into one
        # stream at 5/10/20 %, PGD spread over new stream ids inside 4 clean streams, PGD trickled 1 per 50 clean
        dotnet tools/Control/bin/Release/net10.0/control.dll redteam --out .artifacts/redteam
        # A short look (about a minute): PGD mixed at 20 % and spread
        dotnet tools/Control/bin/Release/net10.0/control.dll redteam --quick --out .artifacts/redteam-quick
        # Chosen strategies, shares and budgets; against a running pipeline (an API key off loopback)
        dotnet tools/Control/bin/Release/net10.0/control.dll redteam --strategies mix:pgd,mix:fgsm,spread,trickle:bim \
          --shares 0.05,0.1 --eps fgsm=0.1,pgd=0.3 --images 2000 --seed 7 --out .artifacts/redteam
        dotnet tools/Control/bin/Release/net10.0/control.dll redteam --bootstrap localhost:9092 --url http://localhost:5000 \
          --strategies mix,spread --window 100 --slide 50 --out .artifacts/redteam-live
        ```
        """;

    public static TheoryData<string, string[]> ProposedCommands()
    {
        var data = new TheoryData<string, string[]>();
        foreach (var command in ReadmeCommandLines.Extract(ProposedReadme, "proposed README"))
            data.Add(command.Location, [.. command.Arguments]);
        return data;
    }

    [Fact]
    public void ProposedReadme_FindsEveryRedTeamLine()
    {
        var commands = ReadmeCommandLines.Extract(ProposedReadme, "proposed README");

        Assert.Equal(4, commands.Count);
        Assert.All(commands, c => Assert.Equal("redteam", c.Arguments[0]));
    }

    [Theory]
    [MemberData(nameof(ProposedCommands))]
    public void Parse_ProposedCommand_HasNoErrorsAndEveryValueConverts(string location, string[] arguments) =>
        new ReadmeCommandsTests().Parse_DocumentedCommand_HasNoErrorsAndEveryValueConverts(location, arguments);
}
