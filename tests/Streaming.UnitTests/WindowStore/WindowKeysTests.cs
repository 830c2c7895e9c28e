using Streaming.Contracts;
using Streaming.WindowStore;

namespace Streaming.UnitTests.WindowStore;

/// <summary>The key layout of one hash tag per model, and how a window key names its events.</summary>
public sealed class WindowKeysTests
{
    [Fact]
    public void Keys_OfAStreamAndOfTheModelWideWindow_ShareTheModelsHashTag()
    {
        var stream = new WindowKeys("sw", "small-cnn", "cam-1");
        var modelWide = WindowKeys.ModelWide("sw", "small-cnn");

        string[] keys = [stream.Ring!, stream.RingTimestamps!, stream.State!, stream.Outbox!, stream.Dedupe("e:1/x")!, stream.Event("e:1/x")!,
            modelWide.Ring!, modelWide.State!, modelWide.WindowKeyPrefix + "0f"];

        // Redis Cluster hashes the text between the first '{' and the next '}': one slot for the model.
        Assert.All(keys, k => Assert.Equal("small-cnn", k[(k.IndexOf('{') + 1)..k.IndexOf('}')]));
        Assert.Equal("sw:{small-cnn}:cam-1:ring", stream.Ring.ToString());
        Assert.Equal("sw:{small-cnn}:__model:win:", modelWide.WindowKeyPrefix);
        Assert.Equal("small-cnn/cam-1", stream.Tag);
    }

    [Fact]
    public void EventKeyOfMember_StreamWindow_IsItsStreamsEventKey()
    {
        var keys = new WindowKeys("sw", "m", "cam-1");

        var eventKeyOf = WindowKeys.EventKeyOfMember(keys.WindowKeyPrefix + "0123abcd");

        Assert.Equal(keys.Event("e:1/x").ToString(), eventKeyOf("e:1/x").ToString());
    }

    [Fact]
    public void EventKeyOfMember_ModelWideWindow_IsTheEventKeyOfTheMembersStream()
    {
        var window = WindowKeys.ModelWide("sw", "m").WindowKeyPrefix + "0123abcd";

        var eventKeyOf = WindowKeys.EventKeyOfMember(window);

        // Event ids may hold '/', stream ids may not: the first '/' ends the stream.
        Assert.Equal(new WindowKeys("sw", "m", "cam-2").Event("e/1").ToString(), eventKeyOf(WindowIds.ModelWideMember("cam-2", "e/1")).ToString());
        // A member naming no stream names a key no writer writes, so the reader reports it missing.
        Assert.Equal("sw:{m}::no-stream", eventKeyOf("no-stream").ToString());
    }

    [Theory]
    [InlineData("sw:{m/cam-1}:win:0f", "sw:{m/cam-1}:ev:e1")]
    [InlineData("sw:{m/__model}:win:0f", "sw:{m/__model}:ev:e1")]
    public void EventKeyOfMember_WindowOfTheEarlierLayout_ReadsUnderItsOwnTag(string window, string expected)
    {
        Assert.Equal(expected, WindowKeys.EventKeyOfMember(window)("e1").ToString());
    }

    [Theory]
    [InlineData("sw:{m}:cam-1:ring")]
    [InlineData("sw:m:cam-1:win:0f")]
    [InlineData(":win:0f")]
    public void EventKeyOfMember_NotAWindowKey_Throws(string key)
    {
        Assert.Throws<ArgumentException>(() => WindowKeys.EventKeyOfMember(key));
    }

    [Theory]
    [InlineData("cam:1")]
    [InlineData("cam/1")]
    [InlineData("cam{1}")]
    [InlineData(WindowScopes.ModelWideStreamId)]
    public void ValidateIds_StreamIdThatWouldBreakTheLayout_Throws(string stream)
    {
        Assert.Throws<ArgumentException>(() => WindowKeys.ValidateIds("m", stream));
    }
}
