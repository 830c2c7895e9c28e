using Streaming.Detection;
using TorchSharp;

namespace Streaming.UnitTests.Detection;

/// <summary>The managed events' cross sums give what the tensor path gives, and every event the same bits in any call.</summary>
public sealed class HostCrossSumsTests
{
    [Theory]
    [InlineData(1, 1000, false, false)]
    [InlineData(10, 1000, true, false)]
    [InlineData(33, 37, false, false)]     // two tiles of 16 and five rows after them
    [InlineData(128, 1000, false, false)]
    [InlineData(128, 5, true, false)]      // fewer rows than one tile
    [InlineData(1, 1000, false, true)]     // tiles of 512-bit registers
    [InlineData(10, 1000, true, true)]
    [InlineData(33, 37, false, true)]      // one tile of 32 and five rows after it
    [InlineData(128, 1000, false, true)]
    [InlineData(128, 5, true, true)]
    public void Compute_SameEventsAsTheTensorPath_WithinFloat32Rounding(int dimension, int referenceCount, bool multiBandwidth, bool wide)
    {
        var rows = Gaussian.Samples(referenceCount, dimension, 1);
        var layer = DetectionFixtures.Layer("l", rows);
        using var reference = DeviceReference.Upload(layer, torch.CPU, multiBandwidth ? [0.5, 1, 2] : null);
        // Clean events and shifted ones: sums near the reference's density and far below it.
        var events = Gaussian.Samples(9, dimension, 2).Concat(Gaussian.Samples(6, dimension, 3, shift: 1.5f)).ToArray();
        float[] expected;
        using (var scope = torch.NewDisposeScope())
        {
            expected = TensorTransfer.Download(ObservedLayerStatistics.EventCrossSums(reference, events));
        }

        var actual = new float[events.Length];
        new HostCrossSums(Gaussian.Flatten(rows), referenceCount, dimension, reference.Gammas, wide).Compute(Gaussian.Flatten(events), actual);

        for (int u = 0; u < events.Length; u++)
        {
            Assert.True(expected[u] > 0, $"event {u}: tensor sum {expected[u]}");
            Assert.True(Math.Abs(actual[u] - expected[u]) <= 2e-5 * expected[u], $"event {u}: managed {actual[u]:R}, tensors {expected[u]:R}");
        }
        Assert.True(expected[^1] < 0.8f * expected[0], $"shifted {expected[^1]}, clean {expected[0]}: the comparison is not between equal sums");
    }

    [Theory]
    [InlineData(10, false)]
    [InlineData(128, false)]
    [InlineData(10, true)]
    [InlineData(128, true)]
    public void Compute_EventsInOtherGroupsPositionsAndCounts_SameBitsAsInTheWholeWindow(int dimension, bool wide)
    {
        var window = Gaussian.Samples(100, dimension, 42, shift: 0.3f);
        var sums = new HostCrossSums(Gaussian.Flatten(Gaussian.Samples(1003, dimension, 41)), 1003, dimension, [0.5, 1, 2], wide);
        EventBits.AssertSameInAnyPick(window.Length, [1, 2, 3, 4, 5, 7, 8, 9, 31, 99, 150], Sums);

        float[] Sums(int[] members)
        {
            var result = new float[members.Length];
            sums.Compute(Gaussian.Flatten([.. members.Select(e => window[e])]), result);
            return result;
        }
    }

    [Fact]
    public void For_Reference_TilesOfTheMachinesDefaultWidth()
    {
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(40, 3, 1)), torch.CPU);

        Assert.Equal(RowTiles.WideByDefault, reference.Source.Tiles.Wide);
    }

    [Fact]
    public void Constructor_RowsNotCountTimesDimension_Refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new HostCrossSums(new float[10], 3, 4, [1.0]));

        Assert.Equal("rows", error.ParamName);
    }

    [Fact]
    public void Compute_VectorsNotCountTimesDimension_Refused()
    {
        var sums = new HostCrossSums(new float[12], 3, 4, [1.0]);

        var error = Assert.Throws<ArgumentException>(() => sums.Compute(new float[7], new float[2]));

        Assert.Equal("vectors", error.ParamName);
    }
}
