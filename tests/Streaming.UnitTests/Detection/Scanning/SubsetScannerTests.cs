using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

public class SubsetScannerTests
{
    private static readonly int[] TwoLayers = [120, 80];

    [Theory]
    // Higher Criticism favours the most extreme core of an anomaly (its denominator punishes large
    // N), so it names fewer of the planted cells than Berk–Jones: recall is asserted lower for it.
    [InlineData(ScanStatistic.BerkJones, 0.9)]
    [InlineData(ScanStatistic.HigherCriticism, 0.5)]
    public void Scan_PlantedSubsetInGaussianWindow_NamesItsEventsAndNodes(ScanStatistic statistic, double minimumRecall)
    {
        // 10 of 100 events shifted by 2.5σ on 20 of 200 nodes (spread over two layers).
        var scanner = ScanData.Scanner(1000, TwoLayers, seed: 1, new SubsetScanOptions { Statistic = statistic });
        var window = ScanData.Window(100, TwoLayers, seed: 2);
        int[] events = ScanData.Pick(100, 10, seed: 3);
        int[] nodes = ScanData.Pick(200, 20, seed: 4);
        ScanData.Plant(window, TwoLayers, events, nodes, shift: 2.5f);

        var result = scanner.Scan(window);

        int[] foundNodes = [.. result.Nodes.Select(n => n.Layer * TwoLayers[0] + n.Node)];
        var (eventPrecision, eventRecall) = PrecisionRecall(result.Events, events);
        var (nodePrecision, nodeRecall) = PrecisionRecall(foundNodes, nodes);
        Assert.True(eventPrecision >= 0.9 && eventRecall >= minimumRecall, $"events: precision {eventPrecision:F2}, recall {eventRecall:F2}");
        Assert.True(nodePrecision >= 0.9 && nodeRecall >= minimumRecall, $"nodes: precision {nodePrecision:F2}, recall {nodeRecall:F2}");
        Assert.Contains(result.Alpha, scanner.Alphas);
    }

    [Fact]
    public void Scan_PlantedWindow_ScoresAboveEveryCleanWindow()
    {
        var scanner = ScanData.Scanner(1000, TwoLayers, seed: 1);
        var clean = Enumerable.Range(0, 20).Select(s => scanner.Scan(ScanData.Window(100, TwoLayers, seed: 100 + s)).Score).ToArray();
        var window = ScanData.Window(100, TwoLayers, seed: 2);
        ScanData.Plant(window, TwoLayers, ScanData.Pick(100, 10, 3), ScanData.Pick(200, 20, 4), shift: 1.5f);

        double planted = scanner.Scan(window).Score;

        Assert.True(planted > clean.Max(), $"planted {planted:F1}, clean max {clean.Max():F1}");
    }

    [Fact]
    public void Scan_DownwardShift_FoundByTwoSidedTailOnly()
    {
        int[] dims = [60];
        var window = ScanData.Window(50, dims, seed: 5);
        int[] events = ScanData.Pick(50, 8, seed: 6);
        int[] nodes = ScanData.Pick(60, 10, seed: 7);
        ScanData.Plant(window, dims, events, nodes, shift: -3f);
        var upper = ScanData.Scanner(500, dims, seed: 8);
        var twoSided = ScanData.Scanner(500, dims, seed: 8, new SubsetScanOptions { Tail = PValueTail.TwoSided });

        var upperResult = upper.Scan(window);
        var twoSidedResult = twoSided.Scan(window);

        var (precision, recall) = PrecisionRecall(twoSidedResult.Events, events);
        Assert.True(precision >= 0.8 && recall >= 0.8, $"two-sided events: precision {precision:F2}, recall {recall:F2}");
        Assert.True(upperResult.Events.Intersect(events).Count() < events.Length / 2, "The upper tail should not see values pushed down.");
    }

    [Fact]
    public void Scan_SingleEvent_ScansItsNodes()
    {
        int[] dims = [100];
        var scanner = ScanData.Scanner(1000, dims, seed: 9);
        var window = ScanData.Window(1, dims, seed: 10);
        int[] nodes = ScanData.Pick(100, 15, seed: 11);
        ScanData.Plant(window, dims, [0], nodes, shift: 3f);

        var result = scanner.Scan(window);

        Assert.Equal([0], result.Events);
        var (precision, recall) = PrecisionRecall([.. result.Nodes.Select(n => n.Node)], nodes);
        Assert.True(precision >= 0.8 && recall >= 0.8, $"nodes: precision {precision:F2}, recall {recall:F2}");
    }

    [Fact]
    public void Scan_SameWindowTwice_GivesSameResult()
    {
        var scanner = ScanData.Scanner(300, TwoLayers, seed: 12);
        var window = ScanData.Window(40, TwoLayers, seed: 13);

        var first = scanner.Scan(window);
        var second = scanner.Scan(window);

        Assert.Equal(first.Score, second.Score);
        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.Nodes, second.Nodes);
    }

    [Fact]
    public void Scan_ByLayerName_EqualsScanByPosition()
    {
        var scanner = ScanData.Scanner(300, TwoLayers, seed: 14);
        var window = ScanData.Window(30, TwoLayers, seed: 15);
        var named = new Dictionary<string, float[][]> { ["layer1"] = window[1], ["layer0"] = window[0], ["other"] = window[0] };

        Assert.Equal(scanner.Scan(window).Score, scanner.Scan(named).Score);
    }

    [Fact]
    public void PValues_CleanValues_AreUniform()
    {
        // Empirical p-values of fresh clean values are uniform on {1/(n+1), …, 1}: the share at or
        // below 0.05 and 0.5 must lie within the Wilson interval of those levels' expected shares.
        int[] dims = [50];
        var scanner = ScanData.Scanner(999, dims, seed: 16);
        var p = scanner.PValues(ScanData.Window(400, dims, seed: 17));
        foreach (double level in new[] { 0.05, 0.5 })
        {
            int below = p.Count(v => v <= level);
            var (lower, upper) = Streaming.Lab.Evaluation.WilsonInterval.Compute(below, p.Length, z: 3.29);
            Assert.InRange(level, lower, upper);
        }
        Assert.Equal(1.0 / 1000, p.Min(), 12);
    }

    [Fact]
    public void Scan_WrongDimension_NamesLayerAndEvent()
    {
        var scanner = ScanData.Scanner(50, TwoLayers, seed: 18);
        var window = ScanData.Window(5, TwoLayers, seed: 19);
        window[1][3] = new float[7];

        var error = Assert.Throws<ArgumentException>(() => scanner.Scan(window));

        Assert.Contains("layer1", error.Message);
        Assert.Contains("event 3", error.Message);
    }

    [Fact]
    public void Scan_NaN_Rejected()
    {
        var scanner = ScanData.Scanner(50, TwoLayers, seed: 20);
        var window = ScanData.Window(5, TwoLayers, seed: 21);
        window[0][2][4] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => scanner.Scan(window));

        Assert.Contains("non-finite", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Constructor_AlphaMaxOutsideUnitInterval_NamesOption(double alphaMax)
    {
        var error = Assert.Throws<ArgumentException>(() => ScanData.Scanner(20, [3], seed: 1, new SubsetScanOptions { AlphaMax = alphaMax }));

        Assert.Contains("AlphaMax", error.Message);
    }

    [Fact]
    public void Alphas_ThinnedToMaximum_KeepSmallestAndLargestAttainable()
    {
        var scanner = ScanData.Scanner(999, [4], seed: 22, new SubsetScanOptions { AlphaMax = 0.5, MaxThresholds = 30 });

        Assert.Equal(30, scanner.Alphas.Count);
        Assert.Equal(1.0 / 1000, scanner.Alphas[0], 15);
        Assert.Equal(500.0 / 1000, scanner.Alphas[^1], 15);
        // Log-spaced ranks keep the smallest thresholds consecutive.
        Assert.Equal(2.0 / 1000, scanner.Alphas[1], 15);
        Assert.True(scanner.Alphas.Zip(scanner.Alphas.Skip(1)).All(pair => pair.First < pair.Second));
    }

    private static (double Precision, double Recall) PrecisionRecall(IEnumerable<int> found, IReadOnlyCollection<int> truth)
    {
        int[] foundArray = [.. found];
        int hits = foundArray.Count(truth.Contains);
        return (foundArray.Length == 0 ? 0 : hits / (double)foundArray.Length, hits / (double)truth.Count);
    }
}
