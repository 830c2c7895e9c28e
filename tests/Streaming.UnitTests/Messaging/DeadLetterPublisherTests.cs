using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.UnitTests.Messaging;

public sealed class DeadLetterPublisherTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<MessagingMetrics>().BuildServiceProvider();
    private readonly KafkaProducerHandle _producer;

    // Never connects: Build only shapes the message.
    public DeadLetterPublisherTests() => _producer = new(
        Options.Create(new KafkaOptions { BootstrapServers = "127.0.0.1:1" }), new Environment(), Metrics, NullLogger<KafkaProducerHandle>.Instance);

    private MessagingMetrics Metrics => _services.GetRequiredService<MessagingMetrics>();

    [Fact]
    public void Build_PayloadOverTheCap_KeepsItsStartFlaggedTruncatedWithSizeAndSourceOffset()
    {
        var payload = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var letter = Parse(Publisher(maxPayloadBytes: 1024).Build(Source(payload, key: "cam-1"u8.ToArray()), "windowing", "bad", 1));

        Assert.True(letter.PayloadTruncated);
        Assert.Equal(5000u, letter.OriginalPayloadSize);
        Assert.Equal(payload[..1024], letter.Payload.ToByteArray());
        Assert.Equal(("activations", 2, 41L), (letter.SourceTopic, letter.SourcePartition, letter.SourceOffset));
        Assert.Equal("cam-1", letter.Key.ToStringUtf8());
        Assert.False(letter.KeyTruncated);
    }

    [Fact]
    public void BuildPart_LargePartAndReasonWithNewline_CappedLikeAWholeLetterAndFlaggedAPart()
    {
        var part = new byte[5000];
        var message = Publisher(maxPayloadBytes: 1024).BuildPart(Source([9, 9, 9], key: "cam-1"u8.ToArray()), part, "detector", "Event e1 dropped:\n" + new string('x', 10_000));
        var letter = Parse(message);

        Assert.True(letter.Part);
        Assert.Equal((true, 5000u, 1024), (letter.PayloadTruncated, letter.OriginalPayloadSize, letter.Payload.Length));
        Assert.Equal(("activations", 2, 41L, 1u), (letter.SourceTopic, letter.SourcePartition, letter.SourceOffset, letter.Attempts));
        Assert.Equal(DeadLetterPublisher.MaxReasonLength, letter.Reason.Length);
        var header = Encoding.UTF8.GetString(message.Headers.GetLastBytes("reason"));
        Assert.Equal(DeadLetterPublisher.MaxReasonHeaderLength, header.Length);
        Assert.DoesNotContain(header, char.IsControl);
    }

    [Fact]
    public void Build_WholeMessage_IsNotFlaggedAPart()
    {
        Assert.False(Parse(Publisher(maxPayloadBytes: 1024).Build(Source([1, 2, 3]), "windowing", "bad", 1)).Part);
    }

    [Fact]
    public void Build_PayloadWithinTheCap_KeptWhole()
    {
        var letter = Parse(Publisher(maxPayloadBytes: 1024).Build(Source([1, 2, 3]), "windowing", "bad", 1));

        Assert.False(letter.PayloadTruncated);
        Assert.Equal(3u, letter.OriginalPayloadSize);
        Assert.Equal([1, 2, 3], letter.Payload.ToByteArray());
    }

    [Fact]
    public void Build_HugeKeyAndReasonWithNewlines_CappedAndHeaderIsOneShortLine()
    {
        var key = new byte[100_000];
        var reason = "Model '" + new string('x', 50_000) + "\r\nevil' is not valid";
        var message = Publisher(maxPayloadBytes: 1024).Build(Source([1], key), "windowing", reason, 1);
        var letter = Parse(message);
        var header = Encoding.UTF8.GetString(message.Headers.GetLastBytes("reason"));

        Assert.True(letter.KeyTruncated);
        Assert.Equal(DeadLetterPublisher.MaxKeyBytes, letter.Key.Length);
        Assert.Equal(DeadLetterPublisher.MaxKeyBytes, message.Key.Length);
        Assert.Equal(DeadLetterPublisher.MaxReasonLength, letter.Reason.Length);
        Assert.StartsWith("Model 'xxx", letter.Reason);
        Assert.EndsWith("…", letter.Reason);
        Assert.Equal(DeadLetterPublisher.MaxReasonHeaderLength, header.Length);
        Assert.DoesNotContain(header, char.IsControl);
    }

    [Fact]
    public void Truncate_CutInsideASurrogatePair_DoesNotSplitIt()
    {
        var text = new string('a', 9) + "😀" + "tail";

        var cut = DeadLetterPublisher.Truncate(text, 11);

        Assert.Equal(new string('a', 9) + "…", cut);
        Assert.Equal(cut, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(cut)));
    }

    public void Dispose()
    {
        _producer.Dispose();
        _services.Dispose();
    }

    private DeadLetterPublisher Publisher(int maxPayloadBytes) =>
        new(_producer, Metrics, Options.Create(new KafkaOptions { BootstrapServers = "127.0.0.1:1", DeadLetterMaxPayloadBytes = maxPayloadBytes }), new FakeTimeProvider());

    private static ConsumeResult<byte[], byte[]> Source(byte[] payload, byte[]? key = null) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset("activations", 2, 41),
        Message = new Message<byte[], byte[]> { Key = key ?? [], Value = payload },
    };

    private static DeadLetter Parse(Message<byte[], byte[]> message) => DeadLetter.Parser.ParseFrom(message.Value);

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "unit";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
