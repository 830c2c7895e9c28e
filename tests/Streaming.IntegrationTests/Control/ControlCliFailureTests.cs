using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Control;

/// <summary>
/// The real CLI, as a process: every failure is exactly one stderr line starting with "error:" and exit code 2 —
/// never a stack trace, never exit 134 (the unhandled-exception abort an unreachable broker used to cause).
/// </summary>
public sealed class ControlCliFailureTests
{
    public static TheoryData<string[]> KafkaCommands => new()
    {
        { ["replay", "--bootstrap"] },
        { ["calibrate", "--count", "10", "--bootstrap"] },
        { ["deadletters", "list", "--bootstrap-servers"] },
        { ["deadletters", "resend", "--all", "--bootstrap-servers"] },
    };

    [Theory]
    [MemberData(nameof(KafkaCommands))]
    public async Task Run_KafkaBrokerRefusesConnections_OneErrorLineNamingTheBrokerAndExitCode2(string[] command)
    {
        var address = $"127.0.0.1:{FreePort.Next()}"; // free a moment ago: nothing listens there

        var run = await ControlProcess.RunAsync([.. command, address]);

        var line = AssertOneErrorLine(run);
        Assert.Contains(address, line, StringComparison.Ordinal);
        Assert.Contains("Kafka", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traffic_InferenceRefusesConnections_OneErrorLineNamingTheUrlAndExitCode2()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}/";

        var run = await ControlProcess.RunAsync("traffic", "--url", url, "--count", "10");

        var line = AssertOneErrorLine(run);
        Assert.Contains(url, line, StringComparison.Ordinal);
        Assert.Contains("--url", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportTorchScript_MissingModelDirectory_OneErrorLineNamingThePathAndExitCode2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-model-{Guid.NewGuid():N}");

        var run = await ControlProcess.RunAsync("export-torchscript", "--model-dir", missing, "--out", Path.Combine(missing, "model.pt"));

        Assert.Contains(missing, AssertOneErrorLine(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KafkaMock_BootstrapFileInMissingDirectory_OneErrorLineNamingThePathAndExitCode2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-dir-{Guid.NewGuid():N}", "bootstrap");

        var run = await ControlProcess.RunAsync("kafka-mock", "--bootstrap-file", missing);

        Assert.Contains(Path.GetDirectoryName(missing)!, AssertOneErrorLine(run), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--url", "traffic", "--url", "localhost:5000")]
    [InlineData("--epochs", "train", "--epochs", "many")]
    [InlineData("--from", "replay", "--bootstrap", "127.0.0.1:9092", "--from", "last-tuesday")]
    [InlineData("--bootstrap", "replay")]
    public async Task Run_BadOptionValue_OneErrorLineNamingTheOptionAndExitCode2(string option, params string[] arguments)
    {
        var run = await ControlProcess.RunAsync(arguments);

        Assert.Contains(option, AssertOneErrorLine(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLettersResend_LetterStoredTruncated_OneErrorLineNamingItAndTheOriginalAndNothingSent()
    {
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Alerts, 1);
        kafka.CreateTopic(Topics.DeadLetterOf(Topics.Alerts), 1);
        var options = new KafkaOptions { BootstrapServers = kafka.BootstrapServers };
        var truncated = new DeadLetter
        {
            SourceTopic = Topics.Alerts,
            SourcePartition = 0,
            SourceOffset = 41,
            Service = "alerting",
            Reason = "too large to deliver",
            Payload = ByteString.CopyFrom(new byte[1024]),
            PayloadTruncated = true,
            OriginalPayloadSize = 5000,
        };
        using (var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "test")).Build())
            await producer.ProduceAsync(Topics.DeadLetterOf(Topics.Alerts), new Message<byte[], byte[]> { Key = [], Value = truncated.ToByteArray() });

        var run = await ControlProcess.RunAsync("deadletters", "resend", "--all", "--bootstrap-servers", kafka.BootstrapServers);

        Assert.Equal("error: Dead letter 0:0 cannot be re-sent: its payload was stored truncated (1024 of 5000 bytes); " +
            "the whole original is at alerts [0] @ 41; nothing was re-sent.", AssertOneErrorLine(run));
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(options, "count", "count")).Build();
        Assert.Equal(0, consumer.QueryWatermarkOffsets(new TopicPartition(Topics.Alerts, 0), TimeSpan.FromSeconds(10)).High.Value);
    }

    private static string AssertOneErrorLine(ControlRun run)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        return line;
    }
}
