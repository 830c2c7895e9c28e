namespace Streaming.UnitTests.Control;

public sealed class ReadmeCommandLinesTests
{
    [Fact]
    public void Extract_ShellBlocks_FindsEveryFormOfInvocation()
    {
        const string markdown = """
            Prose mentioning `control replay --bootstrap X` inline is not a code block.
            ```bash
            dotnet tools/Control/bin/Release/net10.0/control.dll traffic --url http://localhost:5000 \
              --count 10 --attack "pgd-targeted" # a comment
            control loadtest --phase 'w:10:0:100' | tee out.txt
            Kafka__BootstrapServers=x control deadletters list > letters.txt
            dotnet run --project tools/Control -- train --epochs 1
            #   control evaluate --tests 100
            ./demo.sh --report r.json
            cd services/control
            ```
              ```bash
              control calibrate --count 5 && echo done
              ```
            ```json
            { "control": "x" }
            ```
            """;

        var found = ReadmeCommandLines.Extract(markdown, "X.md");

        Assert.Equal(
            [
                "X.md:3 traffic --url http://localhost:5000 --count 10 --attack pgd-targeted",
                "X.md:5 loadtest --phase w:10:0:100",
                "X.md:6 deadletters list",
                "X.md:7 train --epochs 1",
                "X.md:13 calibrate --count 5",
            ],
            found.Select(c => $"{c.Location} {string.Join(' ', c.Arguments)}"));
    }

    [Fact]
    public void Tokenize_QuotesAndEscapes_AreRemovedAsBashDoes()
    {
        Assert.Equal(["a", "b c", "d\"e", "f g", "h"], ReadmeCommandLines.Tokenize("a 'b c' \"d\\\"e\" f\\ g h # i"));
    }
}
