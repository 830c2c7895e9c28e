using Streaming.Lab.Data;
using Streaming.LocalStack;

namespace Streaming.UnitTests.Lab.Data;

public sealed class FashionMnistTests
{
    private static readonly int[] PackageCounts = Enumerable.Repeat(7_000, 10).ToArray();

    [Fact]
    public void SplitIndices_SameCounts_SameOrderEveryTime()
    {
        Assert.Equal(FashionMnist.SplitIndices(PackageCounts, MnistSplit.Train), FashionMnist.SplitIndices(PackageCounts, MnistSplit.Train));
        Assert.Equal(FashionMnist.SplitIndices(PackageCounts, MnistSplit.Test), FashionMnist.SplitIndices(PackageCounts, MnistSplit.Test));
    }

    [Fact]
    public void SplitIndices_PackageCounts_DisjointBalanced60kAnd10kCoveringEveryImage()
    {
        var train = FashionMnist.SplitIndices(PackageCounts, MnistSplit.Train);
        var test = FashionMnist.SplitIndices(PackageCounts, MnistSplit.Test);

        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(70_000, train.Concat(test).Distinct().Count());
        Assert.All(test.GroupBy(t => t.Class), g => Assert.Equal(1_000, g.Count()));
        Assert.All(train.GroupBy(t => t.Class), g => Assert.Equal(6_000, g.Count()));

        // Mixed order: the first 100 test images span (almost) every class.
        Assert.True(test.Take(100).Select(t => t.Class).Distinct().Count() >= 8);
    }

    [Fact]
    public void Load_PackageFiles_LabelsFollowTheSplitAndPixelsAreScaled()
    {
        var directory = FashionMnist.DefaultDirectory(RepoPaths.Discover().Root);

        var test = FashionMnist.Load(directory, MnistSplit.Test, limit: 200);

        Assert.Equal(200, test.Count);
        Assert.Equal(FashionMnist.SplitIndices(PackageCounts, MnistSplit.Test).Take(200).Select(t => t.Class), test.Labels);
        Assert.All(test.Pixels, p => Assert.InRange(p, 0f, 1f));
        Assert.True(test.Pixels.Average() > 0.1);
    }

    [Fact]
    public void Load_MissingDirectory_ThrowsNamingFileAndFetchScript()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load("/nonexistent/clothes", MnistSplit.Train));

        Assert.Contains("/nonexistent/clothes/0.json", ex.Message);
        Assert.Contains("fetch-data.sh", ex.Message);
    }

    [Fact]
    public void Load_ImageWithWrongLength_ThrowsNamingFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fashion-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "0.json"), "{\"data\": [[1, 2, 3]]}");

            var ex = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(directory, MnistSplit.Train));

            Assert.Contains("0.json", ex.Message);
            Assert.Contains("3 values", ex.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
