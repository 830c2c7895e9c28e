using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

public sealed class ScanRowTests
{
    private static readonly int[] Dims = [12, 20];

    [Fact]
    public void ScanLevels_RowsOfTheEvents_SameResultAsScanningTheVectors()
    {
        var conditional = new SubsetScanner([
            [LayerBackground.FromRows("layer0", Gaussian.Samples(300, 12, seed: 21)), LayerBackground.FromRows("layer1", Gaussian.Samples(300, 20, seed: 22))],
            [LayerBackground.FromRows("layer0", Gaussian.Samples(300, 12, seed: 23)), LayerBackground.FromRows("layer1", Gaussian.Samples(300, 20, seed: 24))],
        ]);
        var window = ScanData.Window(50, Dims, seed: 25);
        ScanData.Plant(window, Dims, [3, 9, 14, 20, 33, 41], Enumerable.Range(8, 10), shift: 2.5f);
        int[] groups = [.. Enumerable.Range(0, 50).Select(i => i % 3 == 0 ? 1 : 0)];

        var expected = conditional.Scan(window, groups);
        var rows = Enumerable.Range(0, 50).Select(i => conditional.EventLevels([window[0][i], window[1][i]], groups[i])).ToList();
        var actual = conditional.ScanLevels(rows);

        Assert.True(expected.Events.Count > 0);
        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(expected.Alpha, actual.Alpha);
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.Nodes, actual.Nodes);
    }

    [Fact]
    public void EventLevels_UnusableValue_ThrowsNamingTheLayer()
    {
        var scanner = ScanData.Scanner(100, Dims, seed: 26);
        var row = Gaussian.Samples(1, 20, seed: 27)[0];
        row[4] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => scanner.EventLevels([Gaussian.Samples(1, 12, seed: 28)[0], row]));

        Assert.Contains("layer1", error.Message);
    }
}
