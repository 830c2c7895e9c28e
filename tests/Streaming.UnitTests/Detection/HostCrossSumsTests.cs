using Streaming.Detection;
using TorchSharp;

namespace Streaming.UnitTests.Detection;

/// <summary>The managed events' cross sums give what the tensor path gives, and every event the same bits in any call.</summary>
public sealed class HostCrossSumsTests
{
    [Theory]
    [InlineData(1, 1000, false)]
    [InlineData(10, 1000, true)]
    [InlineData(33, 37, false)]     // two tiles and five rows after them
    [InlineData(128, 1000, false)]
    [InlineData(128, 5, true)]      // fewer rows than one tile
    public void Compute_SameEventsAsTheTensorPath_WithinFloat32Rounding(int dimension, int referenceCount, bool multiBandwidth)
    {
        var layer = DetectionFixtures.Layer("l", Gaussian.Samples(referenceCount, dimension, 1));
        using var reference = DeviceReference.Upload(layer, torch.CPU, multiBandwidth ? [0.5, 1, 2] : null);
        // Clean events and shifted ones: sums near the reference's density and far below it.
        var events = Gaussian.Samples(9, dimension, 2).Concat(Gaussian.Samples(6, dimension, 3, shift: 1.5f)).ToArray();
        float[] expected;
        using (var scope = torch.NewDisposeScope())
        {
            expected = TensorTransfer.Download(ObservedLayerStatistics.EventCrossSums(reference, events));
        }

        var actual = new float[events.Length];
        HostCrossSums.For(reference).Compute(Gaussian.Flatten(events), actual);

        for (int u = 0; u < events.Length; u++)
        {
            Assert.True(expected[u] > 0, $"event {u}: tensor sum {expected[u]}");
            Assert.True(Math.Abs(actual[u] - expected[u]) <= 2e-5 * expected[u], $"event {u}: managed {actual[u]:R}, tensors {expected[u]:R}");
        }
        Assert.True(expected[^1] < 0.8f * expected[0], $"shifted {expected[^1]}, clean {expected[0]}: the comparison is not between equal sums");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(128)]
    public void Compute_EventsInOtherGroupsPositionsAndCounts_SameBitsAsInTheWholeWindow(int dimension)
    {
        var window = Gaussian.Samples(100, dimension, 42, shift: 0.3f);
        var layer = DetectionFixtures.Layer("l", Gaussian.Samples(1003, dimension, 41));
        using var reference = DeviceReference.Upload(layer, torch.CPU, [0.5, 1, 2]);
        var sums = HostCrossSums.For(reference);
        EventBits.AssertSameInAnyPick(window.Length, [1, 2, 3, 4, 5, 7, 8, 9, 31, 99, 150], Sums);

        float[] Sums(int[] members)
        {
            var result = new float[members.Length];
            sums.Compute(Gaussian.Flatten([.. members.Select(e => window[e])]), result);
            return result;
        }
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
