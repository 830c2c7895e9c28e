using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

public class ConditionalScanTests
{
    private static readonly int[] Dims = [40];

    [Fact]
    public void Scan_GroupsWithOwnBackgrounds_ClassStructureIsNotAnAnomaly()
    {
        // Two "classes": class 1 sits 2σ higher on the first 10 nodes. A window holding clean members
        // of both looks anomalous against the pooled background, not against per-class backgrounds.
        var class0 = Gaussian.Samples(500, 40, seed: 1);
        var class1 = Shifted(Gaussian.Samples(500, 40, seed: 2), nodes: 10, shift: 2f);
        var pooled = new SubsetScanner([LayerBackground.FromRows("layer", [.. class0, .. class1])]);
        var conditional = new SubsetScanner([[LayerBackground.FromRows("layer", class0)], [LayerBackground.FromRows("layer", class1)]]);
        var window = new[] { Gaussian.Samples(30, 40, seed: 3).Concat(Shifted(Gaussian.Samples(30, 40, seed: 4), nodes: 10, shift: 2f)).ToArray() };
        int[] groups = [.. Enumerable.Range(0, 60).Select(i => i < 30 ? 0 : 1)];
        var cleanReference = new SubsetScanner([LayerBackground.FromRows("layer", class0)]).Scan([Gaussian.Samples(60, 40, seed: 5)]).Score;

        double pooledScore = pooled.Scan(window).Score;
        double conditionalScore = conditional.Scan(window, groups).Score;

        Assert.True(pooledScore > 2 * cleanReference, $"pooled {pooledScore:F1}, clean {cleanReference:F1}");
        Assert.True(conditionalScore < 1.5 * cleanReference, $"conditional {conditionalScore:F1}, clean {cleanReference:F1}");
    }

    [Fact]
    public void Scan_PlantedInsideOneGroup_FoundByConditionalScanner()
    {
        var conditional = new SubsetScanner([[LayerBackground.FromRows("layer", Gaussian.Samples(500, 40, seed: 6))], [LayerBackground.FromRows("layer", Shifted(Gaussian.Samples(500, 40, seed: 7), 10, 2f))]]);
        var rows = Gaussian.Samples(30, 40, seed: 8).Concat(Shifted(Gaussian.Samples(30, 40, seed: 9), nodes: 10, shift: 2f)).ToArray();
        int[] groups = [.. Enumerable.Range(0, 60).Select(i => i < 30 ? 0 : 1)];
        int[] planted = [31, 35, 40, 47, 52, 58];
        ScanData.Plant([rows], Dims, planted, Enumerable.Range(20, 12), shift: 3f);

        var result = conditional.Scan([rows], groups);

        Assert.True(planted.All(result.Events.Contains), $"found {string.Join(",", result.Events)}");
        Assert.True(result.Events.Count <= planted.Length + 2, $"found {string.Join(",", result.Events)}");
    }

    [Fact]
    public void Scan_ConditionalWithoutGroups_Throws()
    {
        var conditional = new SubsetScanner([[LayerBackground.FromRows("layer", Gaussian.Samples(20, 40, seed: 10))], [LayerBackground.FromRows("layer", Gaussian.Samples(20, 40, seed: 11))]]);
        var window = new[] { Gaussian.Samples(5, 40, seed: 12) };

        Assert.Contains("every event needs its group", Assert.Throws<ArgumentException>(() => conditional.Scan(window)).Message);
        Assert.Contains("group 2", Assert.Throws<ArgumentException>(() => conditional.Scan(window, [0, 1, 2, 0, 1])).Message);
    }

    private static float[][] Shifted(float[][] rows, int nodes, float shift)
    {
        foreach (var row in rows)
        {
            for (int j = 0; j < nodes; j++)
                row[j] += shift;
        }
        return rows;
    }
}
