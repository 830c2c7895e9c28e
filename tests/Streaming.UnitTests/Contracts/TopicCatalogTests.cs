using Streaming.Contracts;
using Streaming.LocalStack;

namespace Streaming.UnitTests.Contracts;

/// <summary>
/// infra/kafka/create-topics.sh (a real cluster) and <see cref="TopicCatalog"/> (the mock cluster)
/// must create the same topics with the same partition counts; changing one without the other fails here.
/// </summary>
public sealed class TopicCatalogTests
{
    private static readonly string ScriptPath = Path.Combine(RepoPaths.Discover().Root, "infra", "kafka", "create-topics.sh");

    [Fact]
    public void Differences_RepositoryCreateTopicsScript_AreNone()
    {
        var script = CreateTopicsScript.Parse(File.ReadAllText(ScriptPath));

        Assert.Equal(TopicCatalog.All.Count, script.Count);
        Assert.Empty(CreateTopicsScript.Differences(TopicCatalog.All, script));
    }

    [Fact]
    public void All_DeadLetterTopics_AreListedForEveryTopicThatDeadLetters()
    {
        var names = TopicCatalog.All.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Contains(Topics.DeadLetterOf(Topics.Activations), names);
        Assert.Contains(Topics.DeadLetterOf(Topics.Windows), names);
        Assert.Contains(Topics.DeadLetterOf(Topics.Alerts), names);
        Assert.All(TopicCatalog.All, t => Assert.True(t.Partitions >= 1, t.Name));
        Assert.Equal(TopicCatalog.All.Count, names.Count);
    }

    [Fact]
    public void Differences_ScriptWithWrongCountMissingAndExtraTopic_NamesEach()
    {
        var catalog = new TopicSpec[] { new("activations", 12), new("windows", 4), new("alerts", 4) };
        const string text = """
            #!/usr/bin/env bash
            create() { kafka-topics.sh --create --topic "$1" --partitions "$2"; }
            create activations 6
            create windows 4
            create extra.topic 1
            """;

        var differences = CreateTopicsScript.Differences(catalog, CreateTopicsScript.Parse(text));

        Assert.Equal(
            [
                "activations: 12 partitions in the catalog, 6 in the script",
                "alerts: in the catalog, not created by the script",
                "extra.topic: created by the script, not in the catalog",
            ],
            differences);
    }

    [Fact]
    public void Differences_TopicCreatedTwice_IsReported()
    {
        var catalog = new TopicSpec[] { new("windows", 4) };

        var differences = CreateTopicsScript.Differences(catalog, CreateTopicsScript.Parse("create windows 4\ncreate windows 4\n"));

        Assert.Equal(["windows: created 2 times by the script"], differences);
    }

    [Fact]
    public void Parse_CreateWithoutPartitionCount_Throws()
    {
        var error = Assert.Throws<FormatException>(() => CreateTopicsScript.Parse("create windows\n"));

        Assert.Contains("create windows", error.Message, StringComparison.Ordinal);
    }
}
