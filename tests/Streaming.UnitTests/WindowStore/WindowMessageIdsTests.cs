using Streaming.WindowStore;

namespace Streaming.UnitTests.WindowStore;

public sealed class WindowMessageIdsTests
{
    [Fact]
    public void Next_ManyFromSeveralThreads_AllDistinctVersion8Uuids()
    {
        const int perThread = 20_000;
        var batches = new string[4][];

        Parallel.For(0, batches.Length, t => batches[t] = [.. Enumerable.Range(0, perThread).Select(_ => WindowMessageIds.Next())]);

        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        Assert.All(all.Take(100), id =>
        {
            Assert.True(Guid.TryParse(id, out var uuid), id);
            Assert.Equal(8, uuid.Version);
            Assert.Equal('8', id[14]);
            Assert.Contains(id[19], "89ab");   // RFC variant
        });
    }
}
