using Streaming.Detector.References;

namespace Streaming.UnitTests.Detector;

/// <summary>The registry mode's cache of loaded references: least recently used evicted first, by bytes.</summary>
public sealed class MemoryLruTests
{
    [Fact]
    public void Add_OverBudget_EvictsAndDisposesTheLeastRecentlyUsed()
    {
        using var cache = new MemoryLru<Item>(100, i => i.Bytes);
        var (a, b, c) = (new Item(40), new Item(40), new Item(40));
        cache.Add("a", a);
        cache.Add("b", b);
        Assert.Same(a, cache.Get("a"));

        var evicted = cache.Add("c", c);

        Assert.Equal(["b"], evicted);
        Assert.True(b.Disposed);
        Assert.False(a.Disposed);
        Assert.Equal(["c", "a"], cache.Keys);
        Assert.Equal(80, cache.Bytes);
    }

    [Fact]
    public void Add_ItemLargerThanTheBudget_IsKeptAlone()
    {
        using var cache = new MemoryLru<Item>(100, i => i.Bytes);
        var small = new Item(10);
        cache.Add("small", small);

        var evicted = cache.Add("big", new Item(500));

        Assert.Equal(["small"], evicted);
        Assert.True(small.Disposed);
        Assert.Equal(["big"], cache.Keys);
    }

    [Fact]
    public void RemoveWhere_InactiveKeys_DisposesOnlyThose()
    {
        using var cache = new MemoryLru<Item>(100, i => i.Bytes);
        var (keep, drop) = (new Item(10), new Item(10));
        cache.Add("keep", keep);
        cache.Add("drop", drop);

        var removed = cache.RemoveWhere(k => k == "drop");

        Assert.Equal(["drop"], removed);
        Assert.True(drop.Disposed);
        Assert.False(keep.Disposed);
        Assert.Null(cache.Get("drop"));
        Assert.Equal(10, cache.Bytes);
    }

    public sealed class Item(long bytes) : IDisposable
    {
        public long Bytes { get; } = bytes;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
