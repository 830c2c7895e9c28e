using Google.Protobuf;
using Streaming.Control.DeadLetters;
using Streaming.Contracts;

namespace Streaming.UnitTests.Control.DeadLetters;

/// <summary>Which stored dead letters hold a whole message that may be re-sent to its source topic.</summary>
public sealed class StoredDeadLetterTests
{
    private static StoredDeadLetter Stored(Action<DeadLetter> change)
    {
        var letter = new DeadLetter
        {
            SourceTopic = "alerts",
            SourcePartition = 2,
            SourceOffset = 17,
            Key = ByteString.CopyFromUtf8("tenant-a"),
            Payload = ByteString.CopyFrom(1, 2, 3),
            OriginalPayloadSize = 3,
        };
        change(letter);
        return new StoredDeadLetter(0, 5, letter);
    }

    [Fact]
    public void WhyNotResendable_WholeLetter_IsNull()
    {
        Assert.Null(Stored(_ => { }).WhyNotResendable());
    }

    [Theory]
    [InlineData("payload", "its payload was stored truncated (3 of 400000 bytes); the whole original is at alerts [2] @ 17")]
    [InlineData("key", "its key was stored truncated (8 bytes kept); the whole original is at alerts [2] @ 17")]
    [InlineData("part", "it holds one part of the message at alerts [2] @ 17")]
    [InlineData("topic", "it names no source topic")]
    public void WhyNotResendable_LetterNotWhole_SaysWhyAndWhereTheOriginalIs(string what, string expected)
    {
        var stored = Stored(l =>
        {
            switch (what)
            {
                case "payload": (l.PayloadTruncated, l.OriginalPayloadSize) = (true, 400_000); break;
                case "key": l.KeyTruncated = true; break;
                case "part": l.Part = true; break;
                default: l.SourceTopic = ""; break;
            }
        });

        Assert.StartsWith(expected, stored.WhyNotResendable(), StringComparison.Ordinal);
    }
}
