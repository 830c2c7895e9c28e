using System.Text;
using Streaming.Contracts;
using Streaming.Windowing.Publishing;

namespace Streaming.UnitTests.Windowing;

public sealed class WindowPartitionKeyTests
{
    [Fact]
    public void Of_StreamWindows_IsTheirStreamId()
    {
        var first = WindowPartitionKey.Of(Window("cam-1", WindowScopes.Stream, "m/cam-1/0f"));
        var next = WindowPartitionKey.Of(Window("cam-1", WindowScopes.Stream, "m/cam-1/1e"));

        Assert.Equal("cam-1", Encoding.UTF8.GetString(first));
        Assert.Equal(first, next);
    }

    [Fact]
    public void Of_ModelWideWindows_IsEachOnesWindowId()
    {
        // A key per window, so the partitioner spreads a model's model-wide windows over every partition.
        var keys = Enumerable.Range(0, 16)
            .Select(i => Encoding.UTF8.GetString(WindowPartitionKey.Of(Window(WindowScopes.ModelWideStreamId, WindowScopes.Model, $"m/__model/{i:x32}"))))
            .ToList();

        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"m/__model/{i:x32}"), keys);
    }

    private static WindowReady Window(string stream, string scope, string id) => new()
    {
        Header = new EventHeader { StreamId = stream, Model = "m" },
        Scope = scope,
        WindowId = id,
    };
}
