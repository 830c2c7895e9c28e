using Streaming.Lab.Data;
using Streaming.UnitTests.Ml;

namespace Streaming.UnitTests.Lab.Data;

[Collection(MlCollection.Name)]
public sealed class MnistDatasetTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Load_TestSplitWithLimit_ReturnsScaledPixelsAndDigitLabels()
    {
        var data = MnistDataset.Load(fixture.DataDirectory, MnistSplit.Test, 200);

        Assert.Equal(200, data.Count);
        Assert.Equal(200 * 784, data.Pixels.Length);
        Assert.All(data.Labels, l => Assert.InRange(l, 0, 9));
        Assert.Equal(0f, data.Pixels.Min());
        Assert.Equal(1f, data.Pixels.Max());
        Assert.Equal(7, data.Labels[0]); // the well-known first t10k digit
    }

    [Fact]
    public void Load_FullSplits_HaveStandardSizes()
    {
        Assert.Equal(10_000, MnistDataset.Load(fixture.DataDirectory, MnistSplit.Test).Count);
        Assert.Equal(60_000, MnistDataset.Load(fixture.DataDirectory, MnistSplit.Train).Count);
    }

    [Fact]
    public void ImagesTensor_Range_HasShapeAndValuesOfPixels()
    {
        using var images = fixture.Test.ImagesTensor(3, 5);
        using var labels = fixture.Test.LabelsTensor(3, 5);

        Assert.Equal([5L, 1, 28, 28], images.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, labels.dtype);
        Assert.Equal(fixture.Test.Pixels.AsSpan(3 * 784, 5 * 784).ToArray(), images.data<float>().ToArray());
        Assert.Equal(fixture.Test.Labels.AsSpan(3, 5).ToArray().Select(l => (long)l), labels.data<long>().ToArray());
    }

    [Fact]
    public void ImagesTensor_RangePastEnd_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Test.ImagesTensor(fixture.Test.Count - 1, 2));
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingFileAndFetchScript()
    {
        var empty = Directory.CreateTempSubdirectory("mnist-missing-").FullName;
        try
        {
            var ex = Assert.Throws<FileNotFoundException>(() => MnistDataset.Load(empty, MnistSplit.Train));

            Assert.Contains(Path.Combine(empty, "train-images-idx3-ubyte"), ex.Message);
            Assert.Contains("infra/fetch-data.sh", ex.Message);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Load_TruncatedFile_ThrowsInvalidData()
    {
        var dir = Directory.CreateTempSubdirectory("mnist-truncated-").FullName;
        try
        {
            var source = File.ReadAllBytes(Path.Combine(fixture.DataDirectory, "t10k-images-idx3-ubyte"));
            File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), source.AsSpan(0, 1000).ToArray());
            File.Copy(Path.Combine(fixture.DataDirectory, "t10k-labels-idx1-ubyte"), Path.Combine(dir, "t10k-labels-idx1-ubyte"));

            var ex = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(dir, MnistSplit.Test));

            Assert.Contains("truncated", ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
