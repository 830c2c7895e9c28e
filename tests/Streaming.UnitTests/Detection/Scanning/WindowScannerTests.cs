using Streaming.Detection.Scanning;
using static Streaming.UnitTests.Detection.Scoring.ScoringFixtures;

namespace Streaming.UnitTests.Detection.Scanning;

public sealed class WindowScannerTests
{
    [Fact]
    public void Scan_ShiftedSubsetInAWindow_SmallPValueAndNamesIt()
    {
        var scanner = WindowScanner.Create(Reference(500, 1000, seed: 61), nullOptions: new ScanNullOptions { Windows = 200 })!;
        var (clean, cleanLabels) = Source(80, seed: 62);
        var (shifted, shiftedLabels) = Source(20, seed: 63, shift: 2f);
        var layers = clean.Select((layer, l) => layer.Concat(shifted[l]).ToArray()).ToArray();
        int?[] labels = [.. cleanLabels.Concat(shiftedLabels).Select(c => (int?)c)];

        var scan = scanner.Scan(layers, labels)!;

        Assert.True(scanner.Conditional);
        Assert.True(scan.PValue <= 0.01, $"scan p = {scan.PValue}");
        Assert.Equal("berk-jones", scan.Statistic);
        Assert.True(scan.EventIndices.Count(i => i >= 80) >= 0.8 * scan.EventIndices.Count, $"subset: {string.Join(",", scan.EventIndices)}");
        Assert.All(scan.Nodes, n => Assert.Matches("^(input|hidden|square):[0-9]+$", n));
    }

    [Fact]
    public void Scan_CleanWindows_PValuesNotConcentratedNearZero()
    {
        var scanner = WindowScanner.Create(Reference(500, 1000, seed: 64), nullOptions: new ScanNullOptions { Windows = 200 })!;
        var small = 0;
        for (var w = 0; w < 40; w++)
        {
            var (layers, labels) = Source(50, seed: 2000 + w);
            if (scanner.Scan(layers, [.. labels.Select(c => (int?)c)])!.PValue <= 0.05) small++;
        }

        // 40 clean windows at alpha 0.05: 2 expected; 8 or more is beyond any reasonable chance.
        Assert.True(small < 8, $"{small} of 40 clean windows at p <= 0.05");
    }

    [Fact]
    public void Scan_EventWithoutAClass_WindowNotScanned()
    {
        var scanner = WindowScanner.Create(Reference(300, 600, seed: 65), nullOptions: new ScanNullOptions { Windows = 100 })!;
        var (layers, labels) = Source(10, seed: 66);
        int?[] classes = [.. labels.Select(c => (int?)c)];
        classes[3] = null;

        Assert.Null(scanner.Scan(layers, classes));
    }
}
