using Streaming.Detection;
using Streaming.Detection.Decision;
using Streaming.Detection.Scoring;
using TorchSharp;

namespace Streaming.UnitTests.Detection;

public sealed class CrossSumCacheTests
{
    private const int Size = 20;
    private static readonly int[] Dimensions = [10, 32, 128];
    private static readonly string[] Layers = ["a", "b", "c"];

    // Shared: the reference and its calibration pool are the slow part.
    private static readonly ReferenceSet Set = Reference();

    /// <summary>Reference of 300 and a calibration split of 400 per layer, one Gaussian per layer.</summary>
    private static ReferenceSet Reference()
    {
        var layers = Dimensions.Select((d, i) => DetectionFixtures.Layer(Layers[i], Gaussian.Samples(300, d, 10 + i))).ToList();
        return new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch, layers)
        {
            Calibration = new CalibrationSplit(
                Enumerable.Repeat(CalibrationSplit.NoLabel, 300).ToArray(), 400,
                [.. Dimensions.Select((d, i) => Gaussian.Flatten(Gaussian.Samples(400, d, 20 + i)))],
                Enumerable.Repeat(CalibrationSplit.NoLabel, 400).ToArray(), 1, "test"),
        };
    }

    private static WindowTester Tester(int cache, int hostThreads = 1) =>
        new(Set, DetectionFixtures.Device, new WindowTesterOptions
        {
            Null = MmdNullMode.Precomputed,
            NullWindows = 200,
            CrossSumCache = cache,
            HostThreads = hostThreads,
            Test = new MmdTestOptions { Permutations = 100, Seed = 7 },
        });

    /// <summary>Events round-robin over two streams, every fifth of stream 1 shifted (so some windows alert).</summary>
    private static List<(EventKey Key, float[][] Vectors)> Events(int count, int seed)
    {
        var perLayer = Dimensions.Select((d, i) => Gaussian.Samples(count, d, seed + i)).ToArray();
        var shifted = Dimensions.Select((d, i) => Gaussian.Samples(count, d, seed + i, shift: 1.5f)).ToArray();
        return [.. Enumerable.Range(0, count).Select(e =>
        {
            bool attacked = e % 2 == 1 && e % 5 == 0;
            return (new EventKey($"s{e % 2}", $"e{e}"), perLayer.Select((rows, i) => attacked ? shifted[i][e] : rows[e]).ToArray());
        })];
    }

    /// <summary>Windows of <see cref="Size"/> sliding by half per stream and over both streams together, as event indices.</summary>
    private static List<int[]> OverlappingWindows(int count)
    {
        var windows = new List<int[]>();
        for (int stream = 0; stream < 2; stream++)
        {
            int[] own = [.. Enumerable.Range(0, count).Where(i => i % 2 == stream)];
            for (int start = 0; start + Size <= own.Length; start += Size / 2) windows.Add(own[start..(start + Size)]);
        }
        for (int start = 0; start + Size <= count; start += Size / 2) windows.Add([.. Enumerable.Range(start, Size)]);
        return windows;
    }

    private static IReadOnlyDictionary<string, float[][]> Window(List<(EventKey Key, float[][] Vectors)> events, int[] members) =>
        Layers.Select((layer, i) => (layer, members.Select(e => events[e].Vectors[i]).ToArray())).ToDictionary(p => p.layer, p => p.Item2);

    private static IReadOnlyList<EventKey?> Keys(List<(EventKey Key, float[][] Vectors)> events, int[] members) => [.. members.Select(e => (EventKey?)events[e].Key)];

    private static void AssertSameBits(WindowTestOutcome expected, WindowTestOutcome actual)
    {
        Assert.Equal(expected.Layers.Count, actual.Layers.Count);
        for (int i = 0; i < expected.Layers.Count; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Layers[i].Mmd2), BitConverter.DoubleToInt64Bits(actual.Layers[i].Mmd2));
            Assert.Equal(expected.Layers[i].PValue, actual.Layers[i].PValue);
            Assert.Equal(expected.Layers[i].Rejected, actual.Layers[i].Rejected);
        }
        Assert.Equal(expected.CombinedPValue, actual.CombinedPValue);
        Assert.Equal(expected.Alert, actual.Alert);
        Assert.Equal(expected.TopSampleIndices, actual.TopSampleIndices);
        Assert.Equal(MmdNullMode.Precomputed, actual.Null);
    }

    [Fact]
    public void TestMany_OverlappingWindowsWithCacheAndWithout_BitIdenticalOutcomes()
    {
        var events = Events(160, seed: 31);
        var windows = OverlappingWindows(events.Count);
        using var plain = Tester(cache: 0);
        using var cached = Tester(cache: 1000);
        Assert.Null(plain.CrossSums);

        int alerts = 0;
        // Three windows per call, as a backlog arrives; the cache also serves events shared inside a call.
        for (int start = 0; start < windows.Count; start += 3)
        {
            var chunk = windows.Skip(start).Take(3).ToList();
            var expected = plain.TestMany([.. chunk.Select(w => Window(events, w))]);
            var actual = cached.TestMany([.. chunk.Select(w => Window(events, w))], [.. chunk.Select(w => Keys(events, w))]);
            for (int k = 0; k < chunk.Count; k++)
            {
                AssertSameBits(expected[k], actual[k]);
                alerts += actual[k].Alert ? 1 : 0;
            }
        }

        Assert.True(alerts > 0 && alerts < windows.Count, $"{alerts} of {windows.Count} windows alerted: the comparison would not cover both decisions");
        var cache = cached.CrossSums!;
        Assert.Equal(events.Count, cache.Misses);
        Assert.Equal(windows.Count * Size - events.Count, cache.Hits);
    }

    [Theory]
    [InlineData(1)]   // one window per call: its new events are split among the threads
    [InlineData(6)]   // and the windows' own statistics too
    public void TestMany_OneHostThreadOrThree_BitIdenticalOutcomes(int perCall)
    {
        var events = Events(160, seed: 43);
        var windows = OverlappingWindows(events.Count);
        using var serial = Tester(cache: 1000, hostThreads: 1);
        using var parallel = Tester(cache: 1000, hostThreads: 3);
        Assert.Equal(3, parallel.HostThreads);

        int alerts = 0;
        for (int start = 0; start < windows.Count; start += perCall)
        {
            var chunk = windows.Skip(start).Take(perCall).ToList();
            var expected = serial.TestMany([.. chunk.Select(w => Window(events, w))], [.. chunk.Select(w => Keys(events, w))]);
            var actual = parallel.TestMany([.. chunk.Select(w => Window(events, w))], [.. chunk.Select(w => Keys(events, w))]);
            for (int k = 0; k < chunk.Count; k++)
            {
                AssertSameBits(expected[k], actual[k]);
                alerts += actual[k].Alert ? 1 : 0;
            }
        }
        Assert.True(alerts > 0 && alerts < windows.Count, $"{alerts} of {windows.Count} windows alerted: the comparison would not cover both decisions");
    }

    [Fact]
    public void Create_HostThreadsZero_AsManyAsTorchSharps()
    {
        using var tester = Tester(cache: 0, hostThreads: 0);
        Assert.Equal(Math.Max(1, torch.get_num_threads()), tester.HostThreads);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WindowCrossSums_OverlappingWindowsWithCacheAndWithout_SameBitsSoSameWitnessScores(bool managed)
    {
        // The witness scores and the statistic take the cross sums as they are, so equal bits here are equal witness scores there.
        var events = Events(120, seed: 81);
        var windows = OverlappingWindows(events.Count);
        var device = managed ? torch.CPU : DetectionFixtures.Device;
        var layers = Set.Layers.Select(l => DeviceReference.Upload(l, device)).ToArray();
        HostCrossSums[]? onHost = managed ? [.. layers.Select(HostCrossSums.For)] : null;
        var cache = new CrossSumCache(1000);
        try
        {
            for (int start = 0; start < windows.Count; start += 2)
            {
                var chunk = windows.Skip(start).Take(2).ToList();
                var data = chunk.Select(w => Window(events, w)).ToList();
                int[] members = [.. Enumerable.Range(0, chunk.Count)];
                var plain = WindowCrossSums.ComputeOnHost(layers, data, members, Size, null, null, onHost);
                var cached = WindowCrossSums.ComputeOnHost(layers, data, members, Size, [.. chunk.Select(w => Keys(events, w))], cache, onHost);
                for (int i = 0; i < layers.Length; i++)
                {
                    Assert.Equal(plain[i].Select(BitConverter.SingleToInt32Bits), cached[i].Select(BitConverter.SingleToInt32Bits));
                }
            }
            Assert.True(cache.Hits > cache.Misses, $"hits {cache.Hits}, misses {cache.Misses}: the windows did not reuse sums");
        }
        finally
        {
            foreach (var layer in layers) layer.Dispose();
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(128)]
    [InlineData(1024)]
    public void EventCrossSums_EventsInOtherBlocksPositionsAndCounts_SameBitsAsInTheWholeWindow(int dimension)
    {
        // The witness scores are the window's kernel row sums minus these sums / n, so equal sums mean equal witness scores.
        var window = Gaussian.Samples(100, dimension, 42, shift: 0.3f);
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(1000, dimension, 41)), DetectionFixtures.Device, [0.5, 1, 2]);
        EventBits.AssertSameInAnyPick(window.Length, [1, 3, 15, 16, 17, 31, 32, 33, 40, 99, 150], Sums);

        float[] Sums(int[] members)
        {
            using var scope = torch.NewDisposeScope();
            return TensorTransfer.Download(ObservedLayerStatistics.EventCrossSums(reference, [.. members.Select(e => window[e])]));
        }
    }

    [Fact]
    public void TestMany_SameKeyOtherVectors_ComputedAgainNotReused()
    {
        var events = Events(Size, seed: 51);
        int[] all = [.. Enumerable.Range(0, Size)];
        using var cached = Tester(cache: 100);
        using var plain = Tester(cache: 0);
        cached.TestMany([Window(events, all)], [Keys(events, all)]);
        var cache = cached.CrossSums!;
        long hits = cache.Hits, misses = cache.Misses;

        // The same keys; event 3 with one component of one layer changed.
        var changed = events.ToList();
        var vectors = changed[3].Vectors.Select(v => v.ToArray()).ToArray();
        vectors[1][0] += 0.5f;
        changed[3] = (changed[3].Key, vectors);
        var actual = cached.TestMany([Window(changed, all)], [Keys(changed, all)])[0];

        Assert.Equal(misses + 1, cache.Misses);
        Assert.Equal(hits + Size - 1, cache.Hits);
        AssertSameBits(plain.Test(Window(changed, all)), actual);
        // The replaced entry now answers for the changed vectors, not the old ones.
        cached.TestMany([Window(changed, all)], [Keys(changed, all)]);
        Assert.Equal(misses + 1, cache.Misses);
    }

    [Fact]
    public void TestMany_MoreEventsThanCapacity_HoldsAtMostCapacity()
    {
        var events = Events(120, seed: 61);
        using var cached = Tester(cache: 30);
        using var plain = Tester(cache: 0);

        for (int start = 0; start + Size <= events.Count; start += Size / 2)
        {
            int[] members = [.. Enumerable.Range(start, Size)];
            var actual = cached.TestMany([Window(events, members)], [Keys(events, members)])[0];
            Assert.True(cached.CrossSums!.Count <= 30, $"{cached.CrossSums.Count} events held, capacity 30");
            AssertSameBits(plain.Test(Window(events, members)), actual);
        }

        Assert.Equal(30, cached.CrossSums!.Count);
    }

    [Fact]
    public void TestMany_EventsWithoutKeysOrPermutationNull_NothingCached()
    {
        var events = Events(Size, seed: 71);
        int[] all = [.. Enumerable.Range(0, Size)];
        using var cached = Tester(cache: 100);
        using var permutations = new WindowTester(Set, DetectionFixtures.Device, new WindowTesterOptions { CrossSumCache = 100 });

        cached.TestMany([Window(events, all)], [[.. all.Select(_ => (EventKey?)null)]]);
        cached.TestMany([Window(events, all)]);

        Assert.Equal(0, cached.CrossSums!.Count);
        Assert.Null(permutations.CrossSums);
    }

    [Fact]
    public void Create_NegativeCrossSumCache_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new WindowTester(Set, DetectionFixtures.Device, new WindowTesterOptions { CrossSumCache = -1 }));
        Assert.Contains("CrossSumCache", error.Message);
    }

    [Fact]
    public void Create_NegativeHostThreads_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new WindowTester(Set, DetectionFixtures.Device, new WindowTesterOptions { HostThreads = -1 }));
        Assert.Contains("HostThreads", error.Message);
    }
}
